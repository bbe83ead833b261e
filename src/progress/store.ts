import * as l10n from '@vscode/l10n';
import { emptyProgress, readProgress, type ItemRef, type Progress, type ProjectProgress } from './schema';

/** The subset of `vscode.Memento` the store needs; `context.globalState` satisfies it. */
export interface ProgressMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What happened when the stored record could not be used; the UI reports it. */
export interface RecoveryNotice {
  readonly reason: string;
  /** Where the unreadable record was copied, so nothing is lost. */
  readonly backup?: string;
}

export interface StoreOptions {
  /** Keeps an unusable record somewhere safe; returns a human-readable location. */
  backup(record: unknown, why: string): Promise<string>;
  /** Told when a write to the memento fails, so the learner hears of it. */
  onWriteError?(error: unknown): void;
  now?: () => Date;
}

type Listener = (p: Readonly<Progress>) => void;

export const PROGRESS_KEY = 'backendCourse.progress';

/**
 * One place that reads and writes progress. Every mutation is written through to the memento
 * at once (globalState persists it outside the extension host, so a crash after the call
 * loses nothing), and listeners (tree, status bar) are told.
 */
export class ProgressStore {
  private progress: Progress = emptyProgress();
  private readonly listeners = new Set<Listener>();
  private writes: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  private constructor(private readonly memento: ProgressMemento, private readonly options: StoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Never throws: an unreadable record is backed up, reported, and replaced by a fresh one. */
  static async open(memento: ProgressMemento, options: StoreOptions): Promise<{ store: ProgressStore; notice?: RecoveryNotice }> {
    const store = new ProgressStore(memento, options);
    const stored = memento.get<unknown>(PROGRESS_KEY);
    const outcome = readProgress(stored);
    switch (outcome.kind) {
      case 'empty':
        return { store };
      case 'ok':
        store.progress = outcome.progress;
        if (outcome.migratedFrom !== undefined) {
          await options.backup(stored, `before migrating from version ${outcome.migratedFrom}`).catch(() => undefined);
          await store.persist();
        }
        return { store };
      case 'newer':
      case 'corrupt': {
        const reason = outcome.kind === 'newer'
          ? l10n.t('it was written by a newer version of the extension (progress schema {0})', outcome.version)
          : l10n.t('it could not be read: {0}', outcome.reason);
        let backup: string | undefined;
        try {
          backup = await options.backup(stored, reason);
        } catch {
          // Without a backup we must not overwrite the record: keep it and work in memory only.
          return { store: store.readOnlyInMemory(), notice: { reason: l10n.t("{0}; it could not be backed up, so it was left untouched and this session's progress will not be saved", reason) } };
        }
        await store.persist();
        return { store, notice: { reason, backup } };
      }
    }
  }

  private inMemoryOnly = false;
  private readOnlyInMemory(): this {
    this.inMemoryOnly = true;
    return this;
  }

  get snapshot(): Readonly<Progress> {
    return this.progress;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private readonly quietListeners = new Set<Listener>();
  /** Also told of bookkeeping writes (the last opened item) that do not redraw the tree. */
  onDidWrite(listener: Listener): { dispose(): void } {
    this.quietListeners.add(listener);
    return { dispose: () => this.quietListeners.delete(listener) };
  }

  /** Resolves when every write issued so far has reached the memento. */
  flush(): Promise<void> {
    return this.writes;
  }

  isLessonComplete(id: string): boolean {
    return id in this.progress.lessons;
  }

  answer(promptId: string): string {
    return this.progress.answers[promptId]?.text ?? '';
  }

  start(): Promise<void> {
    if (this.progress.startedAt) return this.writes;
    return this.mutate((p) => void (p.startedAt = this.stamp()));
  }

  setLessonComplete(id: string, complete: boolean): Promise<void> {
    return this.mutate((p) => {
      if (complete) p.lessons[id] ??= { completedAt: this.stamp() };
      else delete p.lessons[id];
    });
  }

  /** Saves an answer; an empty answer removes it (so "answered" means something was written). */
  setAnswer(promptId: string, text: string): Promise<void> {
    if (this.answer(promptId) === text) return this.writes;
    return this.mutate((p) => {
      if (text.trim() === '') delete p.answers[promptId];
      else p.answers[promptId] = { text, updatedAt: this.stamp() };
    });
  }

  recordQuiz(quizId: string, choice: number, correct: boolean): Promise<void> {
    return this.mutate((p) => void (p.quizzes[quizId] = { choice, correct, answeredAt: this.stamp() }));
  }

  setProject(projectId: string, update: (current: ProjectProgress | undefined, now: string) => ProjectProgress): Promise<void> {
    return this.mutate((p) => void (p.projects[projectId] = update(p.projects[projectId], this.stamp())));
  }

  /** Silent: where the learner is does not change what any view shows, so nobody is told. */
  setLastOpened(item: ItemRef): Promise<void> {
    return this.mutate((p) => void (p.lastOpened = { ...item, at: this.stamp() }), { silent: true });
  }

  /** Replaces the whole record (an import the learner confirmed, already merged and backed up). */
  replace(next: Progress): Promise<void> {
    return this.mutate((p) => {
      for (const key of Object.keys(p)) delete (p as unknown as Record<string, unknown>)[key];
      Object.assign(p, structuredClone(next));
    });
  }

  reset(): Promise<void> {
    return this.mutate((p) => {
      const fresh = emptyProgress();
      Object.assign(p, fresh);
      delete p.startedAt;
      delete p.lastOpened;
    });
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private mutate(change: (p: Progress) => void, options: { silent?: boolean } = {}): Promise<void> {
    // Copy-on-write, so a snapshot handed to a listener never changes under it.
    const next = structuredClone(this.progress);
    change(next);
    this.progress = next;
    if (!options.silent) for (const l of this.listeners) l(next);
    for (const l of this.quietListeners) l(next);
    return this.persist();
  }

  private persist(): Promise<void> {
    if (this.inMemoryOnly) return this.writes;
    const value = this.progress;
    this.writes = this.writes
      .then(() => this.memento.update(PROGRESS_KEY, value))
      .then(undefined, (e: unknown) => this.options.onWriteError?.(e));
    return this.writes;
  }
}
