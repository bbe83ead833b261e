import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandTable } from '../commands/commandTable';
import type { CourseModel } from '../course/courseModel';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Project, Toolchain } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import type { CourseNode } from '../tree/courseTree';
import { recordRun, type RunResult } from './recordRun';
import { projectFolders, projectInWorkspace } from './projectFolders';
import { MARKER_FILE, ScaffoldError, isEmptyOrMissing, readMarker, scaffold } from './scaffold';
import { checkTool, checkTools, type ToolStatus } from './toolchain';

export interface ProjectDeps {
  readonly context: vscode.ExtensionContext;
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly openReflection: (ownerId: string) => Thenable<unknown>;
  readonly commands: CommandTable;
}

export type Target = string | CourseNode | vscode.Uri | undefined;

export interface ScaffoldOptions {
  /** Target folder; skips the folder prompt (scripts, tests). */
  readonly target?: vscode.Uri;
  /** Open the result as the setting says (default) or not at all (tests). */
  readonly open?: boolean;
}

const TASK_TYPE = 'backendCourse';

/**
 * The project commands: scaffold from the palette, run a project's tests as a task in the
 * integrated terminal (recording the result), compare with the reference solution, and check
 * the toolchains. Running tests executes the learner's code, so it requires workspace trust.
 */
export function registerProjectCommands(deps: ProjectDeps): vscode.Disposable[] {
  const { model } = deps;
  const cmd = (id: string, fn: (...args: any[]) => unknown) => deps.commands.add(id, fn);

  const runButton = vscode.window.createStatusBarItem('backendCourse.runTests', vscode.StatusBarAlignment.Left, 49);
  runButton.name = vscode.l10n.t('Backend Course: Run Project Tests');
  runButton.text = `$(beaker) ${vscode.l10n.t('Run Tests')}`;
  runButton.command = 'backendCourse.runProjectTests';
  const updateRunButton = async () => {
    const found = await projectInWorkspace();
    void vscode.commands.executeCommand('setContext', 'backendCourse.inProjectWorkspace', !!found);
    if (found) {
      runButton.tooltip = vscode.l10n.t('Run the tests of this course project ({0})', found.marker.projectId);
      runButton.show();
    } else runButton.hide();
  };
  void updateRunButton();

  return [
    runButton,
    vscode.workspace.onDidChangeWorkspaceFolders(() => void updateRunButton()),
    cmd('backendCourse.scaffoldProject', async (t: Target, options: ScaffoldOptions = {}) => {
      const index = await model.require();
      const project = projectOf(index, t) ?? (await pickProject(index));
      return project ? scaffoldProject(deps, index, project, options) : undefined;
    }),
    cmd('backendCourse.runProjectTests', async (t: Target) => {
      const index = await model.require();
      return runProjectTests(deps, index, t);
    }),
    cmd('backendCourse.compareWithSolution', async (t: Target) => compareWithSolution(deps, await model.require(), t)),
    cmd('backendCourse.checkToolchains', async () => showToolchains(await model.require())),
  ];
}

function projectOf(index: CourseIndex, t: Target): Project | undefined {
  if (typeof t === 'string') return index.project(t);
  if (t && !(t instanceof vscode.Uri) && t.kind === 'project') return t.project;
  return undefined;
}

async function pickProject(index: CourseIndex): Promise<Project | undefined> {
  const tools = new Map<string, ToolStatus>();
  const unique = [...new Map(index.projects.flatMap((p) => p.toolchain).map((t) => [t.command, t])).values()];
  for (const s of await checkTools(unique, { timeoutMs: 5000 })) tools.set(s.tool.command, s);
  const items = index.projects.map((p) => {
    const mod = index.module(p.moduleId)!;
    const missing = p.toolchain.filter((t) => !tools.get(t.command)?.found).map((t) => t.command);
    return {
      project: p,
      label: p.title,
      description: `${mod.number} ${mod.title} · ${p.language}`,
      detail: missing.length
        ? `$(warning) ${vscode.l10n.t('needs {0}: not found on this machine', missing.join(', '))}`
        : `$(check) ${vscode.l10n.t('{0} found', p.toolchain.map((t) => t.command).join(', '))} · ${p.summary}`,
    };
  });
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Scaffold Project'), placeHolder: vscode.l10n.t('Which project do you want to start?'), matchOnDescription: true, matchOnDetail: true }))?.project;
}

function defaultParent(): vscode.Uri {
  const configured = vscode.workspace.getConfiguration('backendCourse').get<string>('projectsFolder', '').trim();
  const expanded = configured.replace(/^~(?=$|[\\/])/, os.homedir());
  return vscode.Uri.file(expanded || path.join(os.homedir(), 'backend-course'));
}

async function chooseTarget(project: Project): Promise<vscode.Uri | undefined> {
  let parent = defaultParent();
  for (;;) {
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Scaffold {0}', project.title),
      prompt: vscode.l10n.t('Folder to create the project in (it must be empty or not exist yet)'),
      value: path.join(parent.fsPath, project.id),
      valueSelection: [parent.fsPath.length + 1, parent.fsPath.length + 1 + project.id.length],
      ignoreFocusOut: true,
      validateInput: (v) => (path.isAbsolute(v.trim().replace(/^~/, os.homedir())) ? undefined : vscode.l10n.t('Enter an absolute folder path')),
    });
    if (!input) return undefined;
    const target = vscode.Uri.file(input.trim().replace(/^~(?=$|[\\/])/, os.homedir()));
    if (await isEmptyOrMissing(target.fsPath).catch(() => false)) return target;
    const marker = await readMarker(target.fsPath);
    const openExisting = vscode.l10n.t('Open Existing Folder');
    const chooseAnother = vscode.l10n.t('Choose Another Folder');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is not empty.', target.fsPath),
      {
        modal: true,
        detail: marker?.projectId === project.id
          ? vscode.l10n.t('It already holds this project. Open it, or pick another folder for a fresh copy.')
          : vscode.l10n.t('Nothing is ever overwritten. Pick another folder, or open the existing one.'),
      },
      openExisting,
      chooseAnother,
    );
    if (choice === openExisting) {
      await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
      return undefined;
    }
    if (choice !== chooseAnother) return undefined;
    parent = vscode.Uri.file(path.dirname(target.fsPath));
  }
}

async function scaffoldProject(deps: ProjectDeps, index: CourseIndex, project: Project, options: ScaffoldOptions): Promise<vscode.Uri | undefined> {
  const target = options.target ?? (await chooseTarget(project));
  if (!target) return undefined;
  const projectDir = vscode.Uri.joinPath(deps.model.root, ...project.dir.split('/'));
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Scaffolding {0}', project.title) }, async (progress) => {
      let last = 0;
      await scaffold({
        projectId: project.id,
        curriculumVersion: index.course.version,
        starterDir: vscode.Uri.joinPath(projectDir, 'starter').fsPath,
        briefFile: vscode.Uri.joinPath(projectDir, 'brief.md').fsPath,
        target: target.fsPath,
        onProgress: (done, total) => {
          const pct = (done / total) * 100;
          progress.report({ increment: pct - last, message: vscode.l10n.t('{0} of {1} files', done, total) });
          last = pct;
        },
      });
      progress.report({ message: vscode.l10n.t('creating a git repository') });
      await initGit(target.fsPath, project.title);
    });
  } catch (e) {
    if (e instanceof ScaffoldError) throw new Error(vscode.l10n.t('Could not scaffold {0}: {1}', project.title, e.message));
    throw e;
  }
  await deps.store.setProject(project.id, (current, now) => ({ ...current, state: current?.state === 'passing' ? 'passing' : 'scaffolded', folder: target.fsPath, updatedAt: now }));
  if (options.open !== false) await openScaffold(target);
  return target;
}

/** A fresh repository with one commit, so the learner can diff their own work. Skipped without git. */
async function initGit(folder: string, title: string): Promise<boolean> {
  const git = (...args: string[]) =>
    new Promise<void>((resolve, reject) => execFile('git', args, { cwd: folder, timeout: 30000 }, (e) => (e ? reject(e) : resolve())));
  try {
    await git('init', '--quiet');
  } catch {
    return false; // git is not installed: the project works without it
  }
  try {
    await git('add', '--all');
    await git('-c', 'user.name=Backend Course', '-c', 'user.email=course@localhost', 'commit', '--quiet', '--no-verify', '-m', `Start ${title} from the course starter`);
    return true;
  } catch {
    return false;
  }
}

async function openScaffold(target: vscode.Uri): Promise<void> {
  const where = vscode.workspace.getConfiguration('backendCourse').get<string>('openScaffoldIn', 'newWindow');
  if (where === 'addToWorkspace') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target });
  } else {
    await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: where !== 'currentWindow' });
  }
}

/**
 * The project a command is about and the folder of the learner's copy: a folder given as a URI,
 * a project named by id or tree node (its recorded folder), else the project open in this window.
 * Undefined (after offering to scaffold) when there is no copy yet; an error when the recorded
 * folder is gone.
 */
export async function resolveProjectFolder(deps: Pick<ProjectDeps, 'store'>, index: CourseIndex, t: Target): Promise<{ project: Project; folder: vscode.Uri } | undefined> {
  if (t instanceof vscode.Uri) {
    const marker = await readMarker(t.fsPath);
    const project = marker && index.project(marker.projectId);
    if (!project) throw new Error(vscode.l10n.t('{0} is not a course project (no {1}).', t.fsPath, MARKER_FILE));
    return { project, folder: t };
  }
  const named = projectOf(index, t);
  if (named) {
    const folder = deps.store.snapshot.projects[named.id]?.folder;
    if (!folder) {
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} has not been scaffolded yet.', named.title), vscode.l10n.t('Scaffold Project'));
      if (choice) await vscode.commands.executeCommand('backendCourse.scaffoldProject', named.id);
      return undefined;
    }
    try {
      await fs.access(folder);
    } catch {
      throw new Error(vscode.l10n.t('The folder of {0} ({1}) no longer exists. Scaffold the project again.', named.title, folder));
    }
    return { project: named, folder: vscode.Uri.file(folder) };
  }
  const here = await projectInWorkspace();
  if (here) {
    const project = index.project(here.marker.projectId);
    if (!project) throw new Error(vscode.l10n.t('This folder was scaffolded from project "{0}", which is not in this version of the course.', here.marker.projectId));
    return { project, folder: here.folder };
  }
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Open a scaffolded course project first, or scaffold one.'), vscode.l10n.t('Scaffold Project'));
  if (choice) await vscode.commands.executeCommand('backendCourse.scaffoldProject');
  return undefined;
}

async function runProjectTests(deps: ProjectDeps, index: CourseIndex, t: Target): Promise<RunResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Running project tests executes the code in the project, so it needs a trusted workspace.'),
      { modal: true, detail: vscode.l10n.t('This window is in Restricted Mode. Trust the folder if it is your own course project, then run the tests again.') },
      vscode.l10n.t('Manage Workspace Trust'),
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const resolved = await resolveProjectFolder(deps, index, t);
  if (!resolved) return undefined;
  const { project, folder } = resolved;

  const missing = (await checkTools(project.toolchain)).filter((s): s is Extract<ToolStatus, { found: false }> => !s.found);
  if (missing.length) {
    const tool = missing[0].tool;
    // Not awaited: the command finishes now; the button stays available in the notification.
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} needs {1}: {2}. Install it, then run the tests again.', project.title, tool.name, missing[0].reason), vscode.l10n.t('Open Install Page')).then((choice) => {
      if (choice) void vscode.env.openExternal(vscode.Uri.parse(tool.installUrl));
    });
    return undefined;
  }

  const resultFile = vscode.Uri.joinPath(deps.context.globalStorageUri, 'runs', `${project.id}.json`).fsPath;
  await fs.mkdir(path.dirname(resultFile), { recursive: true });
  await fs.rm(resultFile, { force: true });
  const wrapper = vscode.Uri.joinPath(deps.context.extensionUri, 'dist', 'testWrapper.js').fsPath;
  const execution = new vscode.ProcessExecution(process.execPath, [wrapper, resultFile, project.testCommand], {
    cwd: folder.fsPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  const task = new vscode.Task({ type: TASK_TYPE, projectId: project.id }, vscode.TaskScope.Workspace, vscode.l10n.t('Test {0}', project.title), vscode.l10n.t('Backend Course'), execution, []);
  task.group = vscode.TaskGroup.Test;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, showReuseMessage: false };

  const exitCode = await runTask(task);
  const result = await readResult(resultFile, exitCode);
  const recorded = await recordRun(deps.store, project, result, folder.fsPath);
  if (recorded.firstPass) {
    void vscode.window.showInformationMessage(vscode.l10n.t('All tests of {0} pass. Congratulations! Take ten minutes for its reflection prompts while the design is fresh.', project.title), vscode.l10n.t('Open Reflection Prompts')).then((c) => {
      if (c) void deps.openReflection(project.id);
    });
  } else if (result.exitCode === 0) {
    vscode.window.setStatusBarMessage(`$(pass) ${vscode.l10n.t('{0}: all tests pass', project.title)}`, 5000);
  } else {
    vscode.window.setStatusBarMessage(`$(error) ${vscode.l10n.t('{0}: stage {1} of {2} passing', project.title, recorded.stagesPassed, recorded.stagesTotal)}`, 8000);
  }
  return result;
}

/** Runs a task and resolves with its process exit code (from the task system, not from output). */
function runTask(task: vscode.Task): Promise<number> {
  return new Promise((resolve, reject) => {
    let execution: vscode.TaskExecution | undefined;
    const ended = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution === execution || e.execution.task.definition.projectId === task.definition.projectId) {
        ended.dispose();
        resolve(e.exitCode ?? 1);
      }
    });
    vscode.tasks.executeTask(task).then(
      (ex) => (execution = ex),
      (err) => {
        ended.dispose();
        reject(err);
      },
    );
  });
}

async function readResult(file: string, exitCode: number): Promise<RunResult> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as RunResult;
    // The task system's exit code is the truth; the file adds the per-test detail.
    return { exitCode, outcomes: Array.isArray(parsed.outcomes) ? parsed.outcomes : [] };
  } catch {
    return { exitCode, outcomes: [] };
  }
}

async function compareWithSolution(deps: ProjectDeps, index: CourseIndex, t: Target): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const uri = t instanceof vscode.Uri ? t : active;
  // The project that holds the file, else the first project open in this window.
  const marked = await projectFolders();
  const here = (uri?.scheme === 'file' ? marked.find((m) => uri.fsPath.startsWith(m.folder.fsPath + path.sep)) : undefined) ?? marked[0];
  const folder = here?.folder;
  const project = here && index.project(here.marker.projectId);
  if (!project || !folder) throw new Error(vscode.l10n.t('Open a file of a scaffolded course project to compare it with the reference solution.'));

  const solutionRoot = vscode.Uri.joinPath(deps.model.root, ...project.dir.split('/'), 'solution');
  const solutionFiles = await listRelative(solutionRoot.fsPath);
  let rel = uri && uri.fsPath.startsWith(folder.fsPath + path.sep) ? path.relative(folder.fsPath, uri.fsPath).split(path.sep).join('/') : undefined;
  if (!rel || !solutionFiles.includes(rel)) {
    rel = await vscode.window.showQuickPick(solutionFiles, { title: vscode.l10n.t('Compare With Reference Solution'), placeHolder: vscode.l10n.t('Which file? (the solution changes only these)') });
    if (!rel) return;
  }
  const showButton = vscode.l10n.t('Show the Solution');
  const confirm = await vscode.window.showWarningMessage(
    vscode.l10n.t('Show the reference solution?'),
    { modal: true, detail: vscode.l10n.t('Seeing the answer before you have struggled with the stage takes away most of what it teaches. Try the stage\'s hints first.') },
    showButton,
  );
  if (confirm !== showButton) return;
  const mine = vscode.Uri.joinPath(folder, ...rel.split('/'));
  const theirs = vscode.Uri.joinPath(solutionRoot, ...rel.split('/'));
  await vscode.commands.executeCommand('vscode.diff', mine, theirs, vscode.l10n.t('{0}: yours ↔ reference solution', rel));
}

async function listRelative(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  await walk(root, '');
  return out.sort();
}

async function showToolchains(index: CourseIndex): Promise<ToolStatus[]> {
  const tools = new Map<string, { tool: Toolchain; projects: string[] }>();
  for (const p of index.projects) {
    for (const t of p.toolchain) {
      const entry = tools.get(t.command) ?? { tool: t, projects: [] };
      entry.projects.push(p.title);
      tools.set(t.command, entry);
    }
  }
  const statuses = await Promise.all([...tools.values()].map((e) => checkTool(e.tool)));
  const items = statuses.map((s) => ({
    status: s,
    label: `${s.found ? '$(pass-filled)' : '$(error)'} ${s.tool.name}`,
    description: s.found ? s.version : vscode.l10n.t('missing: {0}', s.reason),
    detail: s.found
      ? vscode.l10n.t('Used by {0}', tools.get(s.tool.command)!.projects.join(', '))
      : vscode.l10n.t('Used by {0} · select to open the install page', tools.get(s.tool.command)!.projects.join(', ')),
  }));
  const title = vscode.l10n.t('Toolchains: {0} of {1} found', statuses.filter((s) => s.found).length, statuses.length);
  void vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Select a missing tool to open its install page') }).then((picked) => {
    if (picked && !picked.status.found) void vscode.env.openExternal(vscode.Uri.parse(picked.status.tool.installUrl));
  });
  return statuses;
}
