import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandTable } from '../commands/commandTable';
import type { CourseModel } from '../course/courseModel';
import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { stagesPassedOf } from '../progress/summary';
import { currentStage } from '../testing/stageSelection';
import { resolveProjectFolder, type Target } from './projectCommands';
import { applyPlan, BACKUP_DIR, type ApplyResult } from './restoreFiles';
import { listTemplate } from './scaffold';
import { planResetProject, planResetStage, planSkip, skippedAfter, type StagePlan } from './stagePlan';

export interface StageCommandDeps {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly commands: CommandTable;
  /** Called after files changed, so the Testing view reads the project again. */
  readonly onFilesChanged: (folder: vscode.Uri) => void;
}

export interface StageCommandOptions {
  /** False skips the confirmation (tests and scripts that already asked). */
  readonly confirm?: boolean;
}

/** Testing-view rows: `project:<id>:<folder uri>`, and `…|stage:<n>` for a stage (see testing/courseTests.ts). */
type StageTarget = Target | vscode.TestItem;

/**
 * Skip ahead to a stage (the reference solution's versions of the earlier stages' files) and
 * reset a stage or the whole project to the starter. Never destructive: the learner's versions
 * of every replaced file go to a backup folder first, and files the course does not provide are
 * never touched.
 */
export function registerStageCommands(deps: StageCommandDeps): vscode.Disposable[] {
  return [
    deps.commands.add('backendCourse.skipToStage', (t?: StageTarget, stage?: number, options: StageCommandOptions = {}) =>
      run(deps, t, stage, options, 'skip'),
    ),
    deps.commands.add('backendCourse.resetStage', (t?: StageTarget, stage?: number, options: StageCommandOptions = {}) =>
      run(deps, t, stage, options, 'resetStage'),
    ),
    deps.commands.add('backendCourse.resetProject', (t?: StageTarget, options: StageCommandOptions = {}) => run(deps, t, undefined, options, 'resetProject')),
  ];
}

async function run(deps: StageCommandDeps, t: StageTarget, stageArg: number | undefined, options: StageCommandOptions, kind: StagePlan['action']['kind']): Promise<ApplyResult | undefined> {
  const index = await deps.model.require();
  const fromTestItem = parseTestItem(t);
  const resolved = await resolveProjectFolder(deps, index, fromTestItem?.target ?? (t as Target));
  if (!resolved) return undefined;
  const { project, folder } = resolved;
  const templateDir = vscode.Uri.joinPath(deps.model.root, ...project.dir.split('/')).fsPath;

  let plan: StagePlan;
  if (kind === 'resetProject') {
    const [starter, solution] = await Promise.all([listTemplate(path.join(templateDir, 'starter')), listTemplate(path.join(templateDir, 'solution'))]);
    plan = planResetProject(starter.map((f) => f.relPath), solution.map((f) => f.relPath));
  } else {
    const stage = stageArg ?? fromTestItem?.stage ?? (await pickStage(deps, project, kind));
    if (stage === undefined) return undefined;
    const snapshots = await stageSnapshots(templateDir);
    plan = kind === 'skip' ? planSkip(project.stages, stage, snapshots) : planResetStage(project.stages, stage, snapshots);
  }

  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && plan.files.some((f) => d.uri.fsPath === path.join(folder.fsPath, ...f.rel.split('/'))));
  if (dirty.length) {
    const names = dirty.map((d) => path.basename(d.uri.fsPath)).join(', ');
    throw new Error(
      dirty.length === 1
        ? vscode.l10n.t('Save or revert your unsaved changes first: {0}. {1} would replace that file.', names, describe(plan, project))
        : vscode.l10n.t('Save or revert your unsaved changes first: {0}. {1} would replace those files.', names, describe(plan, project)),
    );
  }
  if (options.confirm !== false && !(await confirm(plan, project))) return undefined;

  const result = await applyPlan({ folder: folder.fsPath, templateDir, plan });
  await recordSkipped(deps.store, project, plan);
  deps.onFilesChanged(folder);
  void report(result, plan, project, folder);
  return result;
}

/** Keeps the record of skipped stages honest, for the tree and the showcase entry. */
async function recordSkipped(store: ProgressStore, project: Project, plan: StagePlan): Promise<void> {
  const current = store.snapshot.projects[project.id];
  const before = current?.stagesSkipped ?? [];
  const after = skippedAfter(project.stages, plan, before, stagesPassedOf(project, current));
  if (after.length === before.length && after.every((id, i) => id === before[i])) return;
  await store.setProject(project.id, (latest, now) => {
    const { stagesSkipped: _, ...rest } = latest ?? { state: 'scaffolded' as const, updatedAt: now };
    return after.length ? { ...rest, stagesSkipped: after, updatedAt: now } : { ...rest, updatedAt: now };
  });
}

/** The project's stage snapshots, as `stages/<stage id>/<file>` (none when it has no stages/ folder). */
async function stageSnapshots(templateDir: string): Promise<Set<string>> {
  const root = path.join(templateDir, 'stages');
  try {
    await fs.access(root);
  } catch {
    return new Set();
  }
  return new Set((await listTemplate(root)).map((f) => `stages/${f.relPath}`));
}

async function pickStage(deps: StageCommandDeps, project: Project, kind: 'skip' | 'resetStage'): Promise<number | undefined> {
  const total = project.stages.length;
  const current = currentStage(deps.store.snapshot.projects[project.id]?.lastRun?.stagesPassed, total);
  const first = kind === 'skip' ? 2 : 1;
  if (first > total) throw new Error(vscode.l10n.t('{0} has a single stage: there is nothing to skip to.', project.title));
  const items = project.stages.slice(first - 1).map((s, i) => {
    const n = first + i;
    return {
      n,
      label: vscode.l10n.t('Stage {0}: {1}', n, s.title),
      description: n === current ? vscode.l10n.t('your current stage') : n < current ? vscode.l10n.t('passed') : undefined,
      detail: kind === 'skip'
        ? (n === 2 ? vscode.l10n.t('Applies the reference solution of stage 1') : vscode.l10n.t('Applies the reference solution of stages 1–{0}', n - 1))
        : s.files.length
          ? vscode.l10n.t('Puts back the starter versions of {0}', s.files.join(', '))
          : vscode.l10n.t("Nothing to reset: this stage's tests check the earlier stages' work"),
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: kind === 'skip' ? vscode.l10n.t('Skip Ahead in {0}', project.title) : vscode.l10n.t('Reset a Stage of {0}', project.title),
    placeHolder: kind === 'skip' ? vscode.l10n.t('Which stage do you want to work on next?') : vscode.l10n.t('Which stage goes back to its starter code?'),
  });
  return picked?.n;
}

function describe(plan: StagePlan, project: Project): string {
  switch (plan.action.kind) {
    case 'skip':
      return vscode.l10n.t('Skipping {0} to stage {1}', project.title, plan.action.to);
    case 'resetStage':
      return vscode.l10n.t('Resetting stage {0} of {1}', plan.action.stage, project.title);
    default:
      return vscode.l10n.t('Resetting {0}', project.title);
  }
}

async function confirm(plan: StagePlan, project: Project): Promise<boolean> {
  const list = plan.files
    .slice(0, 12)
    .map((f) => `• ${f.alsoIn.length ? vscode.l10n.t("{0} (also holds stage {1}'s work)", f.rel, f.alsoIn.join(', ')) : f.rel}`)
    .join('\n');
  const more = plan.files.length > 12 ? `\n${vscode.l10n.t('… and {0} more', plan.files.length - 12)}` : '';
  const keep = vscode.l10n.t('Your current versions are copied to {0}/ in the project first; nothing is deleted. Files you added yourself are not touched.', BACKUP_DIR);
  let message: string;
  let detail: string;
  let button: string;
  switch (plan.action.kind) {
    case 'skip':
      message = vscode.l10n.t('Skip to stage {0} of {1}?', plan.action.to, project.title);
      detail = vscode.l10n.t(
        "The reference versions of these files replace yours:\n{0}\n\n{1}\n\nYou will not have written the skipped stages yourself; their hints and the Compare With Solution command stay available if you come back to them.",
        `${list}${more}`,
        keep,
      );
      button = vscode.l10n.t('Skip Ahead');
      break;
    case 'resetStage':
      message = vscode.l10n.t('Reset stage {0} of {1} to its starter code?', plan.action.stage, project.title);
      detail = vscode.l10n.t('These files go back to their starter versions:\n{0}\n\n{1}', `${list}${more}`, keep);
      button = vscode.l10n.t('Reset Stage');
      break;
    default:
      message = vscode.l10n.t('Reset {0} to its starter code?', project.title);
      detail = plan.files.length === 1
        ? vscode.l10n.t('The 1 file the course provides goes back to its starter version.\n\n{0}', keep)
        : vscode.l10n.t('The {0} files the course provides go back to their starter versions.\n\n{1}', plan.files.length, keep);
      button = vscode.l10n.t('Reset Project');
  }
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
}

async function report(result: ApplyResult, plan: StagePlan, project: Project, folder: vscode.Uri): Promise<void> {
  const changed = result.replaced.length + result.created.length + result.removed.length;
  if (changed === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} changed nothing: its files already match.', describe(plan, project)));
    return;
  }
  const parts = [
    result.replaced.length && vscode.l10n.t('{0} replaced', result.replaced.length),
    result.created.length && vscode.l10n.t('{0} added', result.created.length),
    result.removed.length && vscode.l10n.t('{0} removed', result.removed.length),
  ].filter(Boolean);
  const summary = vscode.l10n.t('{0}: {1}.', describe(plan, project), parts.join(', '));
  const message = result.backupDir
    ? vscode.l10n.t('{0} Your versions are in {1}.', summary, path.relative(folder.fsPath, result.backupDir).split(path.sep).join('/'))
    : summary;
  const runTests = vscode.l10n.t('Run Tests');
  const compare = vscode.l10n.t('Compare With My Version');
  const actions = [runTests, ...(result.backupDir && result.replaced.length ? [compare] : [])];
  const choice = await vscode.window.showInformationMessage(message, ...actions);
  if (choice === runTests) await vscode.commands.executeCommand('backendCourse.runProjectTests', folder);
  if (choice === compare && result.backupDir) {
    const rel = result.replaced[0];
    const mine = vscode.Uri.file(path.join(result.backupDir, ...rel.split('/')));
    await vscode.commands.executeCommand('vscode.diff', mine, vscode.Uri.joinPath(folder, ...rel.split('/')), vscode.l10n.t('{0}: your version ↔ now', rel));
  }
}

/** A project or stage row of the Testing view names the project's folder (and the stage) in its id. */
function parseTestItem(t: StageTarget): { target: vscode.Uri; stage?: number } | undefined {
  if (!t || typeof t !== 'object' || t instanceof vscode.Uri || !('children' in t) || typeof t.id !== 'string') return undefined;
  const m = /^project:[a-z0-9-]+:([^|]+)(?:\|stage:(\d+))?$/.exec(t.id);
  return m ? { target: vscode.Uri.parse(m[1]), stage: m[2] ? Number(m[2]) : undefined } : undefined;
}
