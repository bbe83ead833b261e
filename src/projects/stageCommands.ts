import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandTable } from '../commands/commandTable';
import type { CourseModel } from '../course/courseModel';
import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { currentStage } from '../testing/stageSelection';
import { resolveProjectFolder, type Target } from './projectCommands';
import { applyPlan, BACKUP_DIR, type ApplyResult } from './restoreFiles';
import { listTemplate } from './scaffold';
import { planResetProject, planResetStage, planSkip, type StagePlan } from './stagePlan';

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
  try {
    await fs.access(folder.fsPath);
  } catch {
    throw new Error(`The folder of ${project.title} (${folder.fsPath}) no longer exists. Scaffold the project again.`);
  }
  const templates = templateDirs(deps.model, project);

  let plan: StagePlan;
  if (kind === 'resetProject') {
    const [starter, solution] = await Promise.all([listTemplate(templates.starterDir), listTemplate(templates.solutionDir)]);
    plan = planResetProject(starter.map((f) => f.relPath), solution.map((f) => f.relPath));
  } else {
    const stage = stageArg ?? fromTestItem?.stage ?? (await pickStage(deps, project, kind));
    if (stage === undefined) return undefined;
    plan = kind === 'skip' ? planSkip(project.stages, stage) : planResetStage(project.stages, stage);
  }

  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && plan.files.some((f) => d.uri.fsPath === path.join(folder.fsPath, ...f.rel.split('/'))));
  if (dirty.length) {
    throw new Error(`Save or revert your unsaved changes first: ${dirty.map((d) => path.basename(d.uri.fsPath)).join(', ')}. ${describe(plan, project)} would replace ${dirty.length === 1 ? 'that file' : 'those files'}.`);
  }
  if (options.confirm !== false && !(await confirm(plan, project))) return undefined;

  const result = await applyPlan({ folder: folder.fsPath, ...templates, plan });
  deps.onFilesChanged(folder);
  void report(result, plan, project, folder);
  return result;
}

function templateDirs(model: CourseModel, project: Project): { starterDir: string; solutionDir: string } {
  const dir = vscode.Uri.joinPath(model.root, ...project.dir.split('/'));
  return { starterDir: vscode.Uri.joinPath(dir, 'starter').fsPath, solutionDir: vscode.Uri.joinPath(dir, 'solution').fsPath };
}

async function pickStage(deps: StageCommandDeps, project: Project, kind: 'skip' | 'resetStage'): Promise<number | undefined> {
  const total = project.stages.length;
  const current = currentStage(deps.store.snapshot.projects[project.id]?.lastRun?.stagesPassed, total);
  const first = kind === 'skip' ? 2 : 1;
  if (first > total) throw new Error(`${project.title} has a single stage: there is nothing to skip to.`);
  const items = project.stages.slice(first - 1).map((s, i) => {
    const n = first + i;
    return {
      n,
      label: `Stage ${n}: ${s.title}`,
      description: n === current ? 'your current stage' : n < current ? 'passed' : undefined,
      detail: kind === 'skip' ? (n === 2 ? 'Applies the reference solution of stage 1' : `Applies the reference solution of stages 1–${n - 1}`) : `Puts back the starter versions of ${s.files.join(', ') || 'its files'}`,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: kind === 'skip' ? `Skip Ahead in ${project.title}` : `Reset a Stage of ${project.title}`,
    placeHolder: kind === 'skip' ? 'Which stage do you want to work on next?' : 'Which stage goes back to its starter code?',
  });
  return picked?.n;
}

function describe(plan: StagePlan, project: Project): string {
  switch (plan.action.kind) {
    case 'skip':
      return `Skipping ${project.title} to stage ${plan.action.to}`;
    case 'resetStage':
      return `Resetting stage ${plan.action.stage} of ${project.title}`;
    default:
      return `Resetting ${project.title}`;
  }
}

async function confirm(plan: StagePlan, project: Project): Promise<boolean> {
  const list = plan.files
    .slice(0, 12)
    .map((f) => `• ${f.rel}${f.alsoIn.length ? ` (also holds stage ${f.alsoIn.join(', ')}'s work)` : ''}`)
    .join('\n');
  const more = plan.files.length > 12 ? `\n… and ${plan.files.length - 12} more` : '';
  const keep = `Your current versions are copied to ${BACKUP_DIR}/ in the project first; nothing is deleted. Files you added yourself are not touched.`;
  let message: string;
  let detail: string;
  let button: string;
  switch (plan.action.kind) {
    case 'skip':
      message = `Skip to stage ${plan.action.to} of ${project.title}?`;
      detail = `The reference solution's versions of these files replace yours:\n${list}${more}\n\n${keep}\n\nYou will not have written the skipped stages yourself; their hints and the Compare With Solution command stay available if you come back to them.`;
      button = 'Skip Ahead';
      break;
    case 'resetStage':
      message = `Reset stage ${plan.action.stage} of ${project.title} to its starter code?`;
      detail = `These files go back to their starter versions:\n${list}${more}\n\n${keep}`;
      button = 'Reset Stage';
      break;
    default:
      message = `Reset ${project.title} to its starter code?`;
      detail = `The ${plan.files.length} files the course provides go back to their starter versions.\n\n${keep}`;
      button = 'Reset Project';
  }
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
}

async function report(result: ApplyResult, plan: StagePlan, project: Project, folder: vscode.Uri): Promise<void> {
  const changed = result.replaced.length + result.created.length + result.removed.length;
  if (changed === 0) {
    void vscode.window.showInformationMessage(`${describe(plan, project)} changed nothing: its files already match.`);
    return;
  }
  const parts = [
    result.replaced.length && `${result.replaced.length} replaced`,
    result.created.length && `${result.created.length} added`,
    result.removed.length && `${result.removed.length} removed`,
  ].filter(Boolean);
  const where = result.backupDir ? ` Your versions are in ${path.relative(folder.fsPath, result.backupDir).split(path.sep).join('/')}.` : '';
  const actions = ['Run Tests', ...(result.backupDir && result.replaced.length ? ['Compare With My Version'] : [])];
  const choice = await vscode.window.showInformationMessage(`${describe(plan, project)}: ${parts.join(', ')}.${where}`, ...actions);
  if (choice === 'Run Tests') await vscode.commands.executeCommand('backendCourse.runProjectTests', folder);
  if (choice === 'Compare With My Version' && result.backupDir) {
    const rel = result.replaced[0];
    const mine = vscode.Uri.file(path.join(result.backupDir, ...rel.split('/')));
    await vscode.commands.executeCommand('vscode.diff', mine, vscode.Uri.joinPath(folder, ...rel.split('/')), `${rel}: your version ↔ now`);
  }
}

/** A project or stage row of the Testing view names the project's folder (and the stage) in its id. */
function parseTestItem(t: StageTarget): { target: vscode.Uri; stage?: number } | undefined {
  if (!t || typeof t !== 'object' || t instanceof vscode.Uri || !('children' in t) || typeof t.id !== 'string') return undefined;
  const m = /^project:[a-z0-9-]+:([^|]+)(?:\|stage:(\d+))?$/.exec(t.id);
  return m ? { target: vscode.Uri.parse(m[1]), stage: m[2] ? Number(m[2]) : undefined } : undefined;
}
