import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { stagePasses, summarise, type TestOutcome } from './testResults';

export interface RunResult {
  readonly exitCode: number;
  readonly outcomes: readonly TestOutcome[];
}

/**
 * Turns a finished test run into progress, the same way for the terminal task, the Testing view
 * and watch mode. A run of every stage: exit 0 is passing (every stage), anything else is
 * failing with how many stages pass from the first. A run of some stages (`stages`) updates what
 * is known about those stages and keeps what earlier runs said about the others; only a run of
 * every stage can make the project pass. Returns whether this was the first pass.
 */
export async function recordRun(
  store: ProgressStore,
  project: Project,
  run: RunResult,
  folder?: string,
  stages?: readonly number[],
): Promise<{ firstPass: boolean; stagesPassed: number; stagesTotal: number }> {
  const total = project.stages.length;
  const full = !stages || stages.length >= total;
  const current = store.snapshot.projects[project.id];
  let stagesPassed: number;
  let passed: boolean;
  if (full) {
    passed = run.exitCode === 0;
    stagesPassed = passed ? total : summarise(run.outcomes, project.stages).stagesPassed;
  } else {
    const known = current?.lastRun?.stagesPassed ?? 0;
    const ran = new Set(stages);
    const stagePassed = (n: number) => (ran.has(n) ? stagePasses(run.outcomes, n) : n <= known);
    stagesPassed = 0;
    while (stagesPassed < total && stagePassed(stagesPassed + 1)) stagesPassed++;
    passed = current?.state === 'passing' && stagesPassed === total;
  }
  const firstPass = full && passed && !current?.passedAt;
  await store.setProject(project.id, (latest, now) => ({
    ...latest,
    state: passed ? 'passing' : 'failing',
    folder: folder ?? latest?.folder,
    updatedAt: now,
    passedAt: latest?.passedAt ?? (passed ? now : undefined),
    lastRun: { at: now, exitCode: run.exitCode, stagesPassed, stagesTotal: total },
  }));
  return { firstPass, stagesPassed, stagesTotal: total };
}
