import * as vscode from 'vscode';
import type { CommandTable } from '../commands/commandTable';
import type { CourseModel } from '../course/courseModel';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { stagesPassedOf } from '../progress/summary';
import { projectInWorkspace } from '../projects/projectFolders';
import type { CourseNode } from '../tree/courseTree';
import type { CourseTests } from './courseTests';
import { currentStage } from './stageSelection';
import type { WatchMode } from './watchMode';

export interface PracticeDeps {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly tests: CourseTests;
  readonly watch: WatchMode;
  readonly commands: CommandTable;
}

export interface HintShown {
  readonly projectId: string;
  readonly stage: number;
  readonly hint: number;
  readonly of: number;
  readonly text: string;
}

/** The daily loop's commands: run the current stage, reveal the next hint, toggle watch mode. */
export function registerPracticeCommands(deps: PracticeDeps): vscode.Disposable[] {
  const { model, store } = deps;
  return [
    deps.commands.add('backendCourse.runCurrentStage', async () => {
      await deps.tests.refresh();
      if (deps.tests.folders.length === 0) throw new Error(vscode.l10n.t('Scaffold a course project first: its current stage is what this runs.'));
      return deps.watch.run();
    }),
    deps.commands.add('backendCourse.toggleWatchMode', async () => {
      const config = vscode.workspace.getConfiguration('backendCourse');
      const on = !config.get<boolean>('watchTests', false);
      await config.update('watchTests', on, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(on ? `$(eye) ${vscode.l10n.t('Watch mode on: saving a project file runs its current stage')}` : vscode.l10n.t('Watch mode off'), 4000);
      return on;
    }),
    deps.commands.add('backendCourse.showHint', async (t?: string | CourseNode) => {
      const index = await model.require();
      const project = await resolveProject(index, store, t);
      if (!project) throw new Error(vscode.l10n.t('Open a scaffolded course project, or pick a project in the course view, to get a hint for its current stage.'));
      const shown = await revealNextHint(store, project);
      if (!shown) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Every stage of {0} passes: no hints needed.', project.title));
        return undefined;
      }
      const more = shown.hint < shown.of;
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Stage {0}, hint {1} of {2}: {3}', shown.stage, shown.hint, shown.of, shown.text), ...(more ? [vscode.l10n.t('Next Hint')] : []))
        .then((choice) => choice && vscode.commands.executeCommand('backendCourse.showHint', project.id));
      return shown;
    }),
  ];
}

async function resolveProject(index: CourseIndex, store: ProgressStore, t?: string | CourseNode): Promise<Project | undefined> {
  if (typeof t === 'string') return index.project(t);
  if (t?.kind === 'project') return t.project;
  const here = await projectInWorkspace();
  if (here) return index.project(here.marker.projectId);
  const last = store.snapshot.lastOpened;
  return last?.kind === 'project' ? index.project(last.id) : undefined;
}

/**
 * The next hint of the stage the learner is on (the first that has not passed in the last
 * run), recorded so the tree can show how many were used. Once a stage's hints are all shown,
 * asking again repeats the last one.
 */
export async function revealNextHint(store: ProgressStore, project: Project): Promise<HintShown | undefined> {
  const progress = store.snapshot.projects[project.id];
  const passed = stagesPassedOf(project, progress);
  if (passed >= project.stages.length) return undefined;
  const n = currentStage(passed, project.stages.length);
  const stage = project.stages[n - 1];
  if (!stage.hints.length) return { projectId: project.id, stage: n, hint: 0, of: 0, text: vscode.l10n.t('This stage has no hints. Read its summary in the brief again, and the failing test: its name says what it checks.') };
  const already = progress?.hintsShown?.[stage.id] ?? 0;
  const hint = Math.min(already + 1, stage.hints.length);
  await store.setProject(project.id, (current, now) => ({
    ...(current ?? { state: 'scaffolded', updatedAt: now }),
    hintsShown: { ...current?.hintsShown, [stage.id]: hint },
  }));
  return { projectId: project.id, stage: n, hint, of: stage.hints.length, text: stage.hints[hint - 1] };
}
