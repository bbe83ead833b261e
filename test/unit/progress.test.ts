import * as assert from 'assert';
import { readProgress, emptyProgress } from '../../src/progress/schema';
import { PROGRESS_KEY, ProgressStore, type ProgressMemento } from '../../src/progress/store';

class MemoryMemento implements ProgressMemento {
  readonly values = new Map<string, unknown>();
  writes = 0;
  failWrites = false;
  constructor(initial?: unknown) {
    if (initial !== undefined) this.values.set(PROGRESS_KEY, initial);
  }
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.writes++;
    // globalState stores JSON: keep a serialised copy, as the real one does.
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

function options(backups: { record: unknown; why: string }[] = [], fail = false) {
  return {
    backup: async (record: unknown, why: string) => {
      if (fail) throw new Error('read-only file system');
      backups.push({ record, why });
      return `/backups/${backups.length}.json`;
    },
    now: () => new Date('2026-11-25T10:00:00Z'),
  };
}

describe('progress schema', () => {
  it('reads nothing as empty and a valid record as ok', () => {
    assert.deepStrictEqual(readProgress(undefined), { kind: 'empty' });
    const p = { ...emptyProgress(), lessons: { a: { completedAt: 'x' } } };
    assert.deepStrictEqual(readProgress(p), { kind: 'ok', progress: p });
  });

  it('calls anything unreadable corrupt, with a reason', () => {
    for (const bad of ['text', 42, [], { version: 'one' }, { version: 1, answers: [] }, { version: 1, answers: { p: { text: 3 } } }]) {
      const out = readProgress(bad);
      assert.strictEqual(out.kind, 'corrupt', JSON.stringify(bad));
    }
  });

  it('refuses a record from a newer version instead of guessing', () => {
    assert.deepStrictEqual(readProgress({ version: 7 }), { kind: 'newer', version: 7 });
  });

  it('runs every migration step in order up to the current version', () => {
    const migrations = {
      1: (old: Record<string, unknown>) => ({ ...old, lessons: Object.fromEntries((old.done as string[]).map((id) => [id, { completedAt: 'then' }])) }),
      2: (old: Record<string, unknown>) => ({ ...old, answers: old.notes ?? {} }),
    };
    const out = readProgress({ version: 1, done: ['l1'], notes: { p1: { text: 'hi', updatedAt: 't' } } }, migrations, 3);
    assert.strictEqual(out.kind, 'ok');
    if (out.kind !== 'ok') return;
    assert.strictEqual(out.migratedFrom, 1);
    assert.strictEqual(out.progress.version as number, 3);
    assert.deepStrictEqual(out.progress.lessons, { l1: { completedAt: 'then' } });
    assert.deepStrictEqual(out.progress.answers, { p1: { text: 'hi', updatedAt: 't' } });
  });

  it('reports a missing migration step as corrupt rather than dropping data', () => {
    assert.strictEqual(readProgress({ version: 1 }, {}, 2).kind, 'corrupt');
  });
});

describe('progress store', () => {
  it('writes every change through to the memento at once', async () => {
    const memento = new MemoryMemento();
    const { store, notice } = await ProgressStore.open(memento, options());
    assert.strictEqual(notice, undefined);
    await store.setAnswer('p1', 'first thoughts');
    await store.setLessonComplete('l1', true);
    await store.recordQuiz('q1', 2, false);
    const saved = memento.get<any>(PROGRESS_KEY);
    assert.strictEqual(saved.answers.p1.text, 'first thoughts');
    assert.strictEqual(saved.answers.p1.updatedAt, '2026-11-25T10:00:00.000Z');
    assert.ok('l1' in saved.lessons);
    assert.deepStrictEqual(saved.quizzes.q1, { choice: 2, correct: false, answeredAt: '2026-11-25T10:00:00.000Z' });
  });

  it('keeps answers across a reopen (a new extension host reading the same state)', async () => {
    const memento = new MemoryMemento();
    const first = await ProgressStore.open(memento, options());
    await first.store.setAnswer('p1', 'survives');
    const second = await ProgressStore.open(memento, options());
    assert.strictEqual(second.store.answer('p1'), 'survives');
  });

  it('removes an answer that is cleared, and skips writes that change nothing', async () => {
    const memento = new MemoryMemento();
    const { store } = await ProgressStore.open(memento, options());
    await store.setAnswer('p1', 'x');
    const writes = memento.writes;
    await store.setAnswer('p1', 'x');
    assert.strictEqual(memento.writes, writes);
    await store.setAnswer('p1', '   ');
    assert.strictEqual(store.answer('p1'), '');
    assert.ok(!('p1' in memento.get<any>(PROGRESS_KEY).answers));
  });

  it('tells listeners, with a snapshot that does not change afterwards', async () => {
    const { store } = await ProgressStore.open(new MemoryMemento(), options());
    const seen: string[][] = [];
    let kept: any;
    store.onDidChange((p) => {
      seen.push(Object.keys(p.lessons));
      kept ??= p;
    });
    await store.setLessonComplete('a', true);
    await store.setLessonComplete('b', true);
    assert.deepStrictEqual(seen, [['a'], ['a', 'b']]);
    assert.deepStrictEqual(Object.keys(kept.lessons), ['a']);
  });

  it('backs up and reports a corrupt record, then starts fresh', async () => {
    const backups: { record: unknown; why: string }[] = [];
    const memento = new MemoryMemento('{not json');
    const { store, notice } = await ProgressStore.open(memento, options(backups));
    assert.deepStrictEqual(backups.map((b) => b.record), ['{not json']);
    assert.match(notice!.reason, /could not be read/);
    assert.strictEqual(notice!.backup, '/backups/1.json');
    assert.deepStrictEqual(store.snapshot, emptyProgress());
    assert.strictEqual(memento.get<any>(PROGRESS_KEY).version, 1);
  });

  it('backs up a record from a newer version before using fresh progress', async () => {
    const backups: { record: unknown; why: string }[] = [];
    const newer = { version: 9, lessons: { a: {} } };
    const { notice } = await ProgressStore.open(new MemoryMemento(newer), options(backups));
    assert.deepStrictEqual(backups[0].record, newer);
    assert.match(notice!.reason, /newer version/);
  });

  it('leaves an unreadable record untouched when it cannot be backed up', async () => {
    const memento = new MemoryMemento({ version: 9 });
    const { store, notice } = await ProgressStore.open(memento, options([], true));
    assert.match(notice!.reason, /left untouched/);
    await store.setLessonComplete('a', true);
    assert.deepStrictEqual(memento.get(PROGRESS_KEY), { version: 9 });
    assert.strictEqual(memento.writes, 0);
  });

  it('reports a failed write instead of losing it silently', async () => {
    const memento = new MemoryMemento();
    const errors: unknown[] = [];
    const { store } = await ProgressStore.open(memento, { ...options(), onWriteError: (e) => errors.push(e) });
    memento.failWrites = true;
    await store.setAnswer('p', 'text');
    assert.strictEqual(errors.length, 1);
    assert.strictEqual(store.answer('p'), 'text', 'the answer stays in memory for the next write');
    memento.failWrites = false;
    await store.setAnswer('q', 'more');
    assert.strictEqual(memento.get<any>(PROGRESS_KEY).answers.p.text, 'text');
  });

  it('resets everything, including the started flag', async () => {
    const { store } = await ProgressStore.open(new MemoryMemento(), options());
    await store.start();
    await store.setLessonComplete('a', true);
    await store.reset();
    assert.deepStrictEqual(store.snapshot, emptyProgress());
  });
});
