import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { summarise, type TestOutcome } from './testResults';

export interface RunResult {
  readonly exitCode: number;
  readonly outcomes: readonly TestOutcome[];
}

/**
 * Turns a finished test run into progress: exit 0 is passing (every stage), anything else is
 * failing with how many stages pass from the first. Returns whether this was the first pass.
 */
export async function recordRun(store: ProgressStore, project: Project, run: RunResult, folder?: string): Promise<{ firstPass: boolean; stagesPassed: number; stagesTotal: number }> {
  const passed = run.exitCode === 0;
  const summary = summarise(run.outcomes, project.stages);
  const stagesPassed = passed ? project.stages.length : summary.stagesPassed;
  const firstPass = passed && !store.snapshot.projects[project.id]?.passedAt;
  await store.setProject(project.id, (current, now) => ({
    ...current,
    state: passed ? 'passing' : 'failing',
    folder: folder ?? current?.folder,
    updatedAt: now,
    passedAt: current?.passedAt ?? (passed ? now : undefined),
    lastRun: { at: now, exitCode: run.exitCode, stagesPassed, stagesTotal: project.stages.length },
  }));
  return { firstPass, stagesPassed, stagesTotal: project.stages.length };
}
