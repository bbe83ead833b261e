import * as vscode from 'vscode';
import type { ReviewStore } from '../review/reviewStore';

const HOUR_MS = 60 * 60 * 1000;

/** `$(history) 4 due` in the status bar while review questions are due; a click starts the session. */
export class ReviewStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('backendCourse.review', vscode.StatusBarAlignment.Left, 49.5);
  private readonly subscription: { dispose(): void };
  // Cards fall due at midnight, with nothing else happening: look again every hour.
  private readonly timer = setInterval(() => this.update(), HOUR_MS);

  constructor(private readonly review: ReviewStore) {
    this.item.name = vscode.l10n.t('Backend Course Review');
    this.item.command = 'backendCourse.reviewDue';
    this.subscription = review.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const { due } = this.review.summary();
    if (!due) {
      this.item.hide();
      return;
    }
    this.item.text = `$(history) ${vscode.l10n.t('{0} due', due)}`;
    this.item.tooltip = due === 1
      ? vscode.l10n.t('1 quiz question is due for review. Click for a short session.')
      : vscode.l10n.t('{0} quiz questions are due for review. Click for a short session.', due);
    this.item.accessibilityInformation = {
      label: due === 1 ? vscode.l10n.t('1 review question due. Start a review session.') : vscode.l10n.t('{0} review questions due. Start a review session.', due),
    };
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
