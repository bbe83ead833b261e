import * as l10n from '@vscode/l10n';
import type { ProgressMemento } from '../progress/store';
import type { Progress } from '../progress/schema';
import { dueCount, nextDueDay } from './scheduler';
import { emptyReviewState, readReviewState, syncWithProgress, type ReviewState } from './reviewState';

export const REVIEW_KEY = 'backendCourse.review';

/**
 * The spaced-review cards, in their own globalState record beside progress (they change on a
 * different rhythm and have their own version). An unreadable record is backed up and replaced,
 * as progress is; quizzes answered in lessons are enrolled as they are answered.
 */
export class ReviewStore {
  private state: ReviewState = emptyReviewState();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly memento: ProgressMemento, private readonly now: () => Date) {}

  static async open(memento: ProgressMemento, backup: (record: unknown, why: string) => Promise<string>, now: () => Date = () => new Date()): Promise<{ store: ReviewStore; notice?: string }> {
    const store = new ReviewStore(memento, now);
    const stored = memento.get<unknown>(REVIEW_KEY);
    const outcome = readReviewState(stored);
    if (outcome.kind === 'ok') store.state = outcome.state;
    if (outcome.kind === 'corrupt' || outcome.kind === 'newer') {
      const why = outcome.kind === 'newer' ? l10n.t('it was written by a newer version (review schema {0})', outcome.version) : l10n.t('it could not be read: {0}', outcome.reason);
      const where = await backup(stored, `review cards ${why}`).catch(() => undefined);
      if (!where) return { store, notice: l10n.t('Review cards were not loaded because {0}; they were left untouched.', why) };
      await memento.update(REVIEW_KEY, store.state);
      return { store, notice: l10n.t('Review cards started afresh because {0}. A backup is at {1}.', why, where) };
    }
    return { store };
  }

  get snapshot(): ReviewState {
    return this.state;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async save(next: ReviewState): Promise<void> {
    this.state = next;
    for (const l of this.listeners) l();
    await this.memento.update(REVIEW_KEY, next);
  }

  /** Enrols quizzes answered in lessons that have no card yet. */
  async syncWith(progress: Readonly<Progress>): Promise<void> {
    const next = syncWithProgress(this.state, progress, this.now());
    if (Object.keys(next.cards).length !== Object.keys(this.state.cards).length) await this.save(next);
  }

  summary(): { due: number; total: number; next?: string } {
    const now = this.now();
    const next = nextDueDay(this.state);
    return { due: dueCount(this.state, now), total: Object.keys(this.state.cards).length, next: next?.toISOString() };
  }
}
