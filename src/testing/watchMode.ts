import * as path from 'path';
import * as vscode from 'vscode';
import type { CourseTests } from './courseTests';
import type { StageMode } from './stageSelection';

const DEBOUNCE_MS = 400;

/**
 * Re-runs the current stage's tests when a file of an open course project is saved, like
 * Rustlings' watch: debounced (a "Save All" is one run), and a newer save cancels the run in
 * flight. Saves from the editor drive it, so it works where file-system events are unreliable
 * (WSL, network drives); file events add changes made outside the editor where they work; and
 * the status bar item runs the stage by hand whenever the learner wants.
 */
export class WatchMode implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly status = vscode.window.createStatusBarItem('backendCourse.watch', vscode.StatusBarAlignment.Left, 48);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: vscode.CancellationTokenSource | undefined;
  private watcher: vscode.Disposable | undefined;
  /** Runs started by watch mode, for tests and the status text. */
  runs = 0;

  constructor(private readonly tests: CourseTests) {
    this.status.name = vscode.l10n.t('Backend Course Watch Mode');
    this.status.command = 'backendCourse.runCurrentStage';
    this.disposables.push(
      this.status,
      vscode.workspace.onDidSaveTextDocument((doc) => this.onChange(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backendCourse.watchTests') || e.affectsConfiguration('backendCourse.stageMode')) this.update();
      }),
      tests.onDidChangeProjects(() => this.update()),
      tests.onDidRun((o) => {
        if (!this.enabled) return;
        const failing = o.verdicts.filter((v) => v.kind === 'failed' || v.kind === 'errored').length;
        this.status.text = o.cancelled
          ? `$(eye) ${vscode.l10n.t('Watching')}`
          : failing
            ? `$(eye) $(error) ${vscode.l10n.t('{0} failing', failing)}`
            : `$(eye) $(pass) ${vscode.l10n.t('passing')}`;
      }),
    );
    this.update();
  }

  get enabled(): boolean {
    return vscode.workspace.getConfiguration('backendCourse').get<boolean>('watchTests', false);
  }

  private get mode(): StageMode {
    return vscode.workspace.getConfiguration('backendCourse').get<StageMode>('stageMode', 'upToCurrent');
  }

  /** Shows or hides the status item and watches the folders of the projects in the Testing view. */
  private update(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    const roots = this.tests.folders;
    if (!this.enabled || roots.length === 0) {
      this.status.hide();
      return;
    }
    this.status.text = `$(eye) ${vscode.l10n.t('Watching')}`;
    this.status.tooltip =
      this.mode === 'current'
        ? vscode.l10n.t('Watch mode: saving a file in the project runs the current stage. Click to run now.')
        : this.mode === 'all'
          ? vscode.l10n.t('Watch mode: saving a file in the project runs every stage. Click to run now.')
          : vscode.l10n.t('Watch mode: saving a file in the project runs every stage up to the current one. Click to run now.');
    this.status.show();
    const watchers = roots.map((root) => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*.{rs,ex,exs,toml,yaml,yml,json}'));
      w.onDidChange((uri) => this.onChange(uri));
      w.onDidCreate((uri) => this.onChange(uri));
      return w;
    });
    this.watcher = vscode.Disposable.from(...watchers);
  }

  private onChange(uri: vscode.Uri): void {
    if (!this.enabled || uri.scheme !== 'file') return;
    const file = uri.fsPath;
    // Build output changes on every run (reacting to it would loop); backups are not the code under test.
    if (!this.tests.folders.some((r) => file.startsWith(r + path.sep)) || /[\\/](target|_build|deps|\.git|\.course-backups)[\\/]/.test(file)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
  }

  /** Cancels the run in flight, if any, and starts a new one. */
  async run(): Promise<void> {
    this.inFlight?.cancel();
    const source = (this.inFlight = new vscode.CancellationTokenSource());
    this.runs++;
    this.status.text = `$(eye) $(sync~spin) ${vscode.l10n.t('running')}`;
    try {
      await this.tests.runStages(this.mode, source.token);
    } finally {
      if (this.inFlight === source) this.inFlight = undefined;
      source.dispose();
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.inFlight?.cancel();
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
