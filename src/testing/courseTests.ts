import * as vscode from 'vscode';
import type { CourseModel } from '../course/courseModel';
import type { Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { projectFolders } from '../projects/projectFolders';
import { readMarker, type Marker } from '../projects/scaffold';
import { recordRun } from '../projects/recordRun';
import { checkTools } from '../projects/toolchain';
import { discoverTests, type DiscoveredTest } from './discovery';
import { runProcess } from './processRun';
import { mapRun, runnerOf, type Verdict } from './runMapping';
import { commandFor, currentStage, stagesFor, type StageMode } from './stageSelection';

interface ProjectEntry {
  readonly project: Project;
  readonly folder: vscode.Uri;
  readonly item: vscode.TestItem;
  tests: DiscoveredTest[];
}

/** Which stages a run covers: what was picked in the Testing view, or the learner's stage mode. */
export type RunScope = 'requested' | StageMode;

export interface CourseRunOutcome {
  readonly projectId: string;
  readonly stages: readonly number[];
  readonly exitCode: number;
  readonly verdicts: readonly Verdict[];
  readonly cancelled: boolean;
}

/**
 * The course projects open in this window, in VS Code's Testing view: project → stage → test,
 * each test linked to its source line. Running executes the project's real test command (only
 * the chosen stages where the runner can select them), reports every test with its failure
 * message and location, and records progress exactly as the terminal run does.
 */
export class CourseTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('backendCourse', vscode.l10n.t('Backend Course'));
  private readonly entries = new Map<string, ProjectEntry>();
  private readonly disposables: vscode.Disposable[] = [this.controller];
  private readonly changed = new vscode.EventEmitter<CourseRunOutcome>();
  /** Fired after every run (Testing view, watch mode), for watch mode's status and tests. */
  readonly onDidRun = this.changed.event;
  private readonly projectsChanged = new vscode.EventEmitter<void>();
  /** Fired when a project appears in or leaves the Testing view (watch mode follows its folders). */
  readonly onDidChangeProjects = this.projectsChanged.event;

  constructor(private readonly model: CourseModel, private readonly store: ProgressStore) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.refresh();
      else await this.discover(item.id);
    };
    this.controller.refreshHandler = () => this.refresh();
    const profile = (label: string, scope: RunScope, isDefault: boolean) =>
      this.controller.createRunProfile(label, vscode.TestRunProfileKind.Run, async (request, token) => void (await this.runRequest(request, token, scope)), isDefault);
    this.disposables.push(
      this.changed,
      this.projectsChanged,
      profile(vscode.l10n.t('Run'), 'requested', true),
      profile(vscode.l10n.t('Run Current Stage'), 'current', false),
      profile(vscode.l10n.t('Run Stages Up To Current'), 'upToCurrent', false),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      // A newly scaffolded project (its folder lands in progress) appears without a reload.
      { dispose: store.onDidChange((p) => Object.values(p.projects).some((x) => x.folder && !this.folders.includes(x.folder)) && void this.refresh()).dispose },
    );
  }

  /**
   * Project items for every scaffolded project: the marked folders of this workspace, and the
   * folders where the learner scaffolded projects (from progress) that still hold their marker,
   * so any window can run them. Their tests are read when expanded or run.
   */
  async refresh(): Promise<void> {
    const { index } = await this.model.load();
    const seen = new Set<string>();
    let changed = false;
    for (const { folder, marker } of await this.scaffoldedFolders()) {
      const project = index?.project(marker.projectId);
      if (!project) continue;
      const id = `project:${project.id}:${folder.toString()}`;
      seen.add(id);
      if (this.entries.has(id)) continue;
      const item = this.controller.createTestItem(id, project.title, folder);
      item.description = project.stages.length === 1 ? vscode.l10n.t('1 stage') : vscode.l10n.t('{0} stages', project.stages.length);
      item.canResolveChildren = true;
      this.controller.items.add(item);
      this.entries.set(id, { project, folder, item, tests: [] });
      changed = true;
    }
    for (const id of [...this.entries.keys()]) {
      if (!seen.has(id)) {
        this.controller.items.delete(id);
        this.entries.delete(id);
        changed = true;
      }
    }
    if (changed) this.projectsChanged.fire();
  }

  private async scaffoldedFolders(): Promise<{ folder: vscode.Uri; marker: Marker }[]> {
    const found = await projectFolders();
    const known = new Set(found.map((f) => f.folder.fsPath));
    for (const [projectId, p] of Object.entries(this.store.snapshot.projects)) {
      if (!p.folder || known.has(p.folder)) continue;
      const marker = await readMarker(p.folder);
      if (marker?.projectId === projectId) found.push({ folder: vscode.Uri.file(p.folder), marker });
    }
    return found;
  }

  /** Folders of the projects in the Testing view (watch mode watches them). */
  get folders(): readonly string[] {
    return [...this.entries.values()].map((e) => e.folder.fsPath);
  }

  /** The project entries, discovered (for commands and tests). */
  async projects(): Promise<readonly ProjectEntry[]> {
    await this.refresh();
    for (const id of this.entries.keys()) await this.discover(id);
    return [...this.entries.values()];
  }

  /** Reads a project's tests into stage and test items; again whenever asked (files change). */
  async discover(itemId: string): Promise<void> {
    const entryId = itemId.split('|')[0];
    const entry = this.entries.get(entryId);
    if (!entry) return;
    entry.tests = await discoverTests(entry.folder.fsPath);
    const stageItems: vscode.TestItem[] = entry.project.stages.map((stage, i) => {
      const n = i + 1;
      const item = this.controller.createTestItem(`${entryId}|stage:${n}`, vscode.l10n.t('Stage {0}: {1}', n, stage.title));
      item.description = !stage.hints.length ? undefined : stage.hints.length === 1 ? vscode.l10n.t('1 hint') : vscode.l10n.t('{0} hints', stage.hints.length);
      item.children.replace(
        entry.tests.filter((t) => t.stage === n).map((t) => {
          const uri = vscode.Uri.joinPath(entry.folder, ...t.file.split('/'));
          const test = this.controller.createTestItem(`${entryId}|test:${t.file}:${t.name}`, t.name, uri);
          test.range = new vscode.Range(t.line, 0, t.line, 0);
          return test;
        }),
      );
      return item;
    });
    entry.item.children.replace(stageItems);
    entry.item.canResolveChildren = false;
  }

  /** After a skip or reset rewrote files in `folder`: reads its tests again if they were shown. */
  async reread(folder: vscode.Uri): Promise<void> {
    await this.refresh();
    for (const [id, entry] of this.entries) {
      if (entry.folder.fsPath === folder.fsPath && !entry.item.canResolveChildren) await this.discover(id);
    }
  }

  /** Runs the current stage (or up to it) of every project open here: watch mode and the command. */
  async runStages(scope: StageMode, token?: vscode.CancellationToken): Promise<CourseRunOutcome[]> {
    await this.refresh();
    const request = new vscode.TestRunRequest([...this.entries.values()].map((e) => e.item));
    return this.execute(request, token ?? new vscode.CancellationTokenSource().token, scope);
  }

  /** A run from the Testing view: the projects may have changed since it was last drawn. */
  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken, scope: RunScope): Promise<CourseRunOutcome[]> {
    await this.refresh();
    return this.execute(request, token, scope);
  }

  private async execute(request: vscode.TestRunRequest, token: vscode.CancellationToken, scope: RunScope): Promise<CourseRunOutcome[]> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Running project tests executes the code in the project, so it needs a trusted workspace.'), vscode.l10n.t('Manage Workspace Trust')).then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return [];
    }
    // Which stages of which project: a project item means every stage, a stage item its stage,
    // a test item the stage it belongs to (tests are selected a stage at a time).
    const wanted = new Map<string, Set<number>>();
    const include = request.include ?? [...this.entries.values()].map((e) => e.item);
    for (const item of include) {
      const [entryId, part] = item.id.split('|');
      const entry = this.entries.get(entryId);
      if (!entry) continue;
      const set = wanted.get(entryId) ?? new Set<number>();
      wanted.set(entryId, set);
      const total = entry.project.stages.length;
      if (scope !== 'requested') {
        const current = currentStage(this.store.snapshot.projects[entry.project.id]?.lastRun?.stagesPassed, total);
        for (const n of stagesFor(scope, current, total)) set.add(n);
      } else if (!part) {
        for (let n = 1; n <= total; n++) set.add(n);
      } else {
        // A stage or test item exists only once its project was discovered, so entry.tests is current.
        const stage = part.startsWith('stage:') ? Number(part.slice(6)) : entry.tests.find((t) => part === `test:${t.file}:${t.name}`)?.stage;
        if (stage) set.add(stage);
      }
    }

    const run = this.controller.createTestRun(request, undefined, true);
    const outcomes: CourseRunOutcome[] = [];
    try {
      for (const [entryId, set] of wanted) {
        if (token.isCancellationRequested) break;
        const entry = this.entries.get(entryId)!;
        outcomes.push(await this.runProject(run, entry, [...set].sort((a, b) => a - b), token));
      }
    } finally {
      run.end();
    }
    for (const o of outcomes) this.changed.fire(o);
    return outcomes;
  }

  private async runProject(run: vscode.TestRun, entry: ProjectEntry, stages: number[], token: vscode.CancellationToken): Promise<CourseRunOutcome> {
    const { project, folder } = entry;
    await this.discover(entry.item.id);
    const stageItem = (n: number) => entry.item.children.get(`${entry.item.id}|stage:${n}`);
    const testItem = (t: DiscoveredTest) => stageItem(t.stage ?? 0)?.children.get(`${entry.item.id}|test:${t.file}:${t.name}`);
    const requested = entry.tests.filter((t) => t.stage !== undefined && stages.includes(t.stage));
    for (const t of requested) {
      const item = testItem(t);
      if (item) run.started(item);
    }

    const missing = (await checkTools(project.toolchain)).find((s) => !s.found);
    if (missing && !missing.found) {
      const message = new vscode.TestMessage(vscode.l10n.t('{0} needs {1}: {2}. Install it ({3}), then run the tests again.', project.title, missing.tool.name, missing.reason, missing.tool.installUrl));
      for (const t of requested) {
        const item = testItem(t);
        if (item) run.errored(item, message);
      }
      return { projectId: project.id, stages, exitCode: 127, verdicts: [], cancelled: false };
    }

    const command = commandFor(project.testCommand, stages, project.stages.length);
    run.appendOutput(`\x1b[1m$ ${command}\x1b[0m   (${folder.fsPath})\r\n`);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    const started = Date.now();
    const result = await runProcess(command, folder.fsPath, (text) => run.appendOutput(text.replace(/\r?\n/g, '\r\n')), abort.signal);
    cancel.dispose();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const ended = result.cancelled ? vscode.l10n.t('cancelled after {0} s', seconds) : vscode.l10n.t('exit code {0} after {1} s', result.exitCode, seconds);
    run.appendOutput(`\r\n${ended}\r\n`);
    if (result.cancelled) {
      for (const t of requested) {
        const item = testItem(t);
        if (item) run.skipped(item);
      }
      return { projectId: project.id, stages, exitCode: result.exitCode, verdicts: [], cancelled: true };
    }

    const verdicts = mapRun(requested, result.output, result.exitCode, runnerOf(project.testCommand));
    for (const v of verdicts) {
      const item = testItem(v.test);
      if (!item) continue;
      if (v.kind === 'passed') run.passed(item, v.ms);
      else if (v.kind === 'skipped') run.skipped(item);
      else if (v.kind === 'errored') run.errored(item, new vscode.TestMessage(v.message));
      else run.failed(item, failureMessage(v, folder, item), v.ms);
    }
    for (const n of stages) {
      const item = stageItem(n);
      const mine = verdicts.filter((v) => v.test.stage === n);
      if (!item || mine.length === 0) continue;
      if (mine.every((v) => v.kind === 'passed')) run.passed(item);
      else if (mine.some((v) => v.kind === 'failed' || v.kind === 'errored')) run.failed(item, new vscode.TestMessage(stageFailure(mine.filter((v) => v.kind !== 'passed').length, mine.length, n)));
    }

    await recordRun(
      this.store,
      project,
      { exitCode: result.exitCode, outcomes: verdicts.filter((v) => v.kind === 'passed' || v.kind === 'failed').map((v) => ({ name: v.test.name, passed: v.kind === 'passed' })) },
      folder.fsPath,
      stages,
    );
    return { projectId: project.id, stages, exitCode: result.exitCode, verdicts, cancelled: false };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** `2 of 3 tests of stage 1 do not pass yet.` */
function stageFailure(failing: number, total: number, stage: number): string {
  return failing === 1
    ? vscode.l10n.t('1 of {0} tests of stage {1} does not pass yet.', total, stage)
    : vscode.l10n.t('{0} of {1} tests of stage {2} do not pass yet.', failing, total, stage);
}

/** The assertion text, as a diff when the runner printed both sides, at the line that failed. */
function failureMessage(v: Extract<Verdict, { kind: 'failed' }>, folder: vscode.Uri, item: vscode.TestItem): vscode.TestMessage {
  // assert_eq!(left, right) prints "left: …" and "right: …"; ExUnit prints "left: …" / "right: …" too.
  const left = /^\s*left:\s*(.*)$/m.exec(v.message)?.[1];
  const right = /^\s*right:\s*(.*)$/m.exec(v.message)?.[1];
  const message = left !== undefined && right !== undefined ? vscode.TestMessage.diff(v.message, right, left) : new vscode.TestMessage(v.message);
  if (v.location) {
    message.location = new vscode.Location(vscode.Uri.joinPath(folder, ...v.location.file.split('/')), new vscode.Position(Math.max(0, v.location.line - 1), 0));
  } else if (item.uri && item.range) {
    message.location = new vscode.Location(item.uri, item.range);
  }
  return message;
}
