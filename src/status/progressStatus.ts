import * as vscode from 'vscode';
import type { CourseModel } from '../course/courseModel';
import type { ProgressStore } from '../progress/store';
import { countCourse } from '../progress/summary';

/** `$(mortar-board) 12/48` in the status bar; a click continues where the learner left off. */
export class ProgressStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('backendCourse.progress', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly model: CourseModel, private readonly store: ProgressStore) {
    this.item.name = vscode.l10n.t('Backend Course Progress');
    this.item.command = 'backendCourse.continue';
    this.disposables.push(
      { dispose: store.onDidChange(() => void this.update()).dispose },
      model.onDidReload(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('backendCourse.showStatusBar') && void this.update()),
    );
  }

  async update(): Promise<void> {
    const enabled = vscode.workspace.getConfiguration('backendCourse').get<boolean>('showStatusBar', true);
    const { index } = await this.model.load();
    if (!enabled || !index) {
      this.item.hide();
      return;
    }
    const c = countCourse(this.store.snapshot, index);
    this.item.text = `$(mortar-board) ${c.done}/${c.total}`;
    const tooltip = new vscode.MarkdownString(
      `${vscode.l10n.t('{0}: {1} of {2} lessons, reflections and projects complete.', index.course.title, c.done, c.total)}\n\n` +
        `[${vscode.l10n.t('Continue where you left off')}](command:backendCourse.continue) · [${vscode.l10n.t('Open Dashboard')}](command:backendCourse.openDashboard)`,
    );
    tooltip.isTrusted = { enabledCommands: ['backendCourse.continue', 'backendCourse.openDashboard'] };
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Backend course progress: {0} of {1} complete. Continue where you left off.', c.done, c.total) };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
