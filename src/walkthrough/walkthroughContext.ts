import * as vscode from 'vscode';
import type { Progress } from '../progress/schema';
import type { ProgressStore } from '../progress/store';

/**
 * The getting-started walkthrough's steps complete on `onContext:` events; these keys say which
 * steps the learner has done, derived from progress so they hold across windows and restarts.
 * (Checking the toolchains completes on `onCommand:` and needs no key.)
 */
export const WALKTHROUGH_KEYS = {
  openedLesson: 'backendCourse.walkthrough.openedLesson',
  answeredReflection: 'backendCourse.walkthrough.answeredReflection',
  scaffoldedProject: 'backendCourse.walkthrough.scaffoldedProject',
  ranTests: 'backendCourse.walkthrough.ranTests',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_KEYS;

export function walkthroughState(p: Readonly<Progress>): Record<WalkthroughStep, boolean> {
  const projects = Object.values(p.projects);
  return {
    openedLesson: p.lastOpened?.kind === 'lesson' || Object.keys(p.lessons).length > 0,
    answeredReflection: Object.values(p.answers).some((a) => a.text.trim().length > 0),
    scaffoldedProject: projects.length > 0,
    ranTests: projects.some((x) => x.lastRun !== undefined),
  };
}

export class WalkthroughContext implements vscode.Disposable {
  private readonly last = new Map<string, boolean>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ProgressStore) {
    this.subscription = store.onDidWrite(() => this.update());
    this.update();
  }

  /** The state as last published, for tests. */
  get state(): Record<WalkthroughStep, boolean> {
    return walkthroughState(this.store.snapshot);
  }

  private update(): void {
    for (const [step, done] of Object.entries(walkthroughState(this.store.snapshot)) as [WalkthroughStep, boolean][]) {
      const key = WALKTHROUGH_KEYS[step];
      if (this.last.get(key) === done) continue;
      this.last.set(key, done);
      void vscode.commands.executeCommand('setContext', key, done);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
