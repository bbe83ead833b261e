import * as assert from 'assert';
import { buildExport, EXPORT_FORMAT, mergeImport, parseImport, type LearnerData } from '../../src/progress/exchange';
import { emptyProgress, type Progress } from '../../src/progress/schema';
import { emptyReviewState, type ReviewState } from '../../src/review/reviewState';
import type { Card } from '../../src/review/scheduler';

const NOW = new Date('2026-06-01T12:00:00Z');

function card(lastReviewedAt: string, box = 2): Card {
  return { box, due: '2026-06-03T00:00:00.000Z', lastReviewedAt, reviews: 1, lapses: 0 };
}

function richProgress(): Progress {
  return {
    version: 1,
    startedAt: '2026-05-01T08:00:00.000Z',
    lessons: { 'os-processes': { completedAt: '2026-05-02T09:00:00.000Z' }, 'os-sockets': { completedAt: '2026-05-03T09:00:00.000Z' } },
    answers: { 'os-reflect-1': { text: 'Fork copies the page tables, not the pages.', updatedAt: '2026-05-02T10:00:00.000Z' } },
    quizzes: { 'os-fork-quiz': { choice: 2, correct: true, answeredAt: '2026-05-02T09:30:00.000Z' } },
    projects: {
      'network-scanner': {
        state: 'failing', folder: '/home/me/backend-course/network-scanner', updatedAt: '2026-05-04T10:00:00.000Z',
        lastRun: { at: '2026-05-04T10:00:00.000Z', exitCode: 1, stagesPassed: 2, stagesTotal: 5 },
      },
    },
    lastOpened: { kind: 'lesson', id: 'os-sockets', at: '2026-05-03T08:00:00.000Z' },
  };
}

function richReview(): ReviewState {
  return { version: 1, cards: { 'os-fork-quiz': card('2026-05-05T09:00:00.000Z') } };
}

function empty(): LearnerData {
  return { progress: emptyProgress(), review: emptyReviewState() };
}

function withProgress(change: Partial<Progress>, review: ReviewState = emptyReviewState()): LearnerData {
  return { progress: { ...emptyProgress(), ...change }, review };
}

/** An export file as an object, with one part replaced, serialised again. */
function exportWith(change: (file: any) => void): string {
  const file = JSON.parse(buildExport(richProgress(), richReview(), NOW, '0.1.0'));
  change(file);
  return JSON.stringify(file);
}

function rejection(text: string): string {
  const out = parseImport(text);
  assert.strictEqual(out.ok, false, `expected the import to be rejected: ${text.slice(0, 200)}`);
  return out.ok ? '' : out.reason;
}

describe('progress export file', () => {
  it('writes a versioned, readable JSON document', () => {
    const text = buildExport(richProgress(), richReview(), NOW, '0.1.0');
    const file = JSON.parse(text);
    assert.strictEqual(file.format, EXPORT_FORMAT);
    assert.strictEqual(file.format, 'mastering-backend-progress');
    assert.strictEqual(file.version, 1);
    assert.strictEqual(file.exportedAt, '2026-06-01T12:00:00.000Z');
    assert.strictEqual(file.extensionVersion, '0.1.0');
    assert.match(text, /\n {2}"progress": \{\n/, 'pretty-printed');
  });

  it('round-trips: export, parse and merge into nothing gives back the same data', () => {
    const parsed = parseImport(buildExport(richProgress(), richReview(), NOW, '0.1.0'));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    if (!parsed.ok) return;
    assert.strictEqual(parsed.data.exportedAt, '2026-06-01T12:00:00.000Z');
    assert.strictEqual(parsed.data.extensionVersion, '0.1.0');
    const merged = mergeImport(empty(), parsed.data);
    assert.deepStrictEqual(merged.progress, richProgress());
    assert.deepStrictEqual(merged.review, richReview());
    assert.deepStrictEqual(merged.summary, {
      lessons: { added: 2, updated: 0, kept: 0 },
      answers: { added: 1, updated: 0, kept: 0 },
      quizzes: { added: 1, updated: 0, kept: 0 },
      projects: { added: 1, updated: 0, kept: 0 },
      cards: { added: 1, updated: 0, kept: 0 },
      conflicts: [],
    });
  });

  it('imports a file without review cards as having none', () => {
    const out = parseImport(exportWith((f) => delete f.review));
    assert.ok(out.ok);
    if (out.ok) assert.deepStrictEqual(out.data.review, emptyReviewState());
  });

  it('accepts a byte-order mark at the start of the file', () => {
    assert.ok(parseImport(`\uFEFF${buildExport(richProgress(), richReview(), NOW, '0.1.0')}`).ok);
  });

  describe('rejects a file it cannot trust, saying why', () => {
    it('not JSON', () => {
      assert.match(rejection('{"format": "mastering-backend-progress", '), /not valid JSON/);
      assert.match(rejection('[1, 2]'), /must hold a JSON object, found an array/);
    });

    it('another kind of file', () => {
      assert.match(rejection(exportWith((f) => (f.format = 'some-other-app'))), /"format" is "some-other-app"/);
      assert.match(rejection(JSON.stringify({ version: 1, lessons: {} })), /"format" is undefined/);
    });

    it('a file from a newer version of the extension', () => {
      assert.match(rejection(exportWith((f) => (f.version = 2))), /"version" is 2: the file was exported by a newer version/);
      assert.match(rejection(exportWith((f) => (f.version = '1'))), /"version" must be a whole number/);
      assert.match(rejection(exportWith((f) => (f.progress.version = 5))), /"progress" was written by a newer version .*schema 5/);
      assert.match(rejection(exportWith((f) => (f.review.version = 3))), /"review" was written by a newer version .*schema 3/);
    });

    it('missing metadata or progress', () => {
      assert.match(rejection(exportWith((f) => (f.exportedAt = 'last tuesday'))), /"exportedAt"/);
      assert.match(rejection(exportWith((f) => delete f.extensionVersion)), /"extensionVersion"/);
      assert.match(rejection(exportWith((f) => delete f.progress)), /"progress" is missing/);
    });

    it('a corrupt progress field', () => {
      assert.match(rejection(exportWith((f) => (f.progress.answers = []))), /"progress": "answers" must be an object/);
      assert.match(rejection(exportWith((f) => (f.progress.answers['os-reflect-1'].text = 42))), /"progress": answer "os-reflect-1" has no text/);
      assert.match(rejection(exportWith((f) => (f.progress.quizzes['os-fork-quiz'].answeredAt = 'noon'))), /"progress\.quizzes\.os-fork-quiz\.answeredAt" must be a date-time/);
      assert.match(rejection(exportWith((f) => (f.progress.quizzes['os-fork-quiz'].correct = 'yes'))), /"progress\.quizzes\.os-fork-quiz\.correct"/);
      assert.match(rejection(exportWith((f) => delete f.progress.lessons['os-processes'].completedAt)), /"progress\.lessons\.os-processes\.completedAt"/);
      assert.match(rejection(exportWith((f) => (f.progress.projects['network-scanner'].state = 'done'))), /"progress\.projects\.network-scanner\.state"/);
      assert.match(rejection(exportWith((f) => (f.progress.projects['network-scanner'].hintsShown = { s1: -1 }))), /"progress\.projects\.network-scanner\.hintsShown\.s1"/);
      assert.match(rejection(exportWith((f) => (f.progress.projects['network-scanner'].stagesSkipped = 'scanner-port-spec' as never))), /"progress\.projects\.network-scanner\.stagesSkipped" must be a list of stage ids/);
      assert.match(rejection(exportWith((f) => (f.progress.lastOpened.at = 7))), /"progress\.lastOpened\.at"/);
    });

    it('a corrupt review card', () => {
      assert.match(rejection(exportWith((f) => (f.review.cards['os-fork-quiz'].box = 9))), /"review": card "os-fork-quiz": "box" must be a whole number from 1 to 5 \(found 9\)/);
      assert.match(rejection(exportWith((f) => (f.review.cards['os-fork-quiz'].due = null))), /card "os-fork-quiz": "due"/);
      assert.match(rejection(exportWith((f) => (f.review.cards = 'none'))), /"review": "cards" must be an object/);
    });
  });
});

describe('merging an import', () => {
  it('keeps the union of completed lessons, with the earliest completion', () => {
    const here = withProgress({ lessons: { a: { completedAt: '2026-05-05T00:00:00.000Z' }, b: { completedAt: '2026-05-01T00:00:00.000Z' } } });
    const there = withProgress({ lessons: { a: { completedAt: '2026-05-02T00:00:00.000Z' }, b: { completedAt: '2026-05-09T00:00:00.000Z' }, c: { completedAt: '2026-05-03T00:00:00.000Z' } } });
    const { progress, summary } = mergeImport(here, there);
    assert.deepStrictEqual(progress.lessons, {
      a: { completedAt: '2026-05-02T00:00:00.000Z' },
      b: { completedAt: '2026-05-01T00:00:00.000Z' },
      c: { completedAt: '2026-05-03T00:00:00.000Z' },
    });
    assert.deepStrictEqual(summary.lessons, { added: 1, updated: 1, kept: 1 });
  });

  it('lets the newer answer win and reports the text it replaced or refused', () => {
    const here = withProgress({
      answers: {
        older: { text: 'draft on this machine', updatedAt: '2026-05-01T00:00:00.000Z' },
        newer: { text: 'final on this machine', updatedAt: '2026-05-09T00:00:00.000Z' },
        same: { text: 'identical', updatedAt: '2026-05-01T00:00:00.000Z' },
        mine: { text: 'only here', updatedAt: '2026-05-01T00:00:00.000Z' },
      },
    });
    const there = withProgress({
      answers: {
        older: { text: 'final from the laptop', updatedAt: '2026-05-03T00:00:00.000Z' },
        newer: { text: 'draft from the laptop', updatedAt: '2026-05-02T00:00:00.000Z' },
        same: { text: 'identical', updatedAt: '2026-05-04T00:00:00.000Z' },
      },
    });
    const { progress, summary } = mergeImport(here, there);
    assert.strictEqual(progress.answers.older.text, 'final from the laptop');
    assert.strictEqual(progress.answers.newer.text, 'final on this machine');
    assert.deepStrictEqual(progress.answers.same, { text: 'identical', updatedAt: '2026-05-01T00:00:00.000Z' });
    assert.strictEqual(progress.answers.mine.text, 'only here');
    assert.deepStrictEqual(summary.conflicts, [
      {
        promptId: 'older',
        kept: { text: 'final from the laptop', updatedAt: '2026-05-03T00:00:00.000Z', from: 'incoming' },
        discarded: { text: 'draft on this machine', updatedAt: '2026-05-01T00:00:00.000Z', from: 'current' },
      },
      {
        promptId: 'newer',
        kept: { text: 'final on this machine', updatedAt: '2026-05-09T00:00:00.000Z', from: 'current' },
        discarded: { text: 'draft from the laptop', updatedAt: '2026-05-02T00:00:00.000Z', from: 'incoming' },
      },
    ]);
    assert.deepStrictEqual(summary.answers, { added: 0, updated: 1, kept: 2 });
  });

  it('never lets a blank answer replace a written one, even when newer', () => {
    const here = withProgress({ answers: { p: { text: 'my words', updatedAt: '2026-05-01T00:00:00.000Z' } } });
    const there = withProgress({ answers: { p: { text: '  ', updatedAt: '2026-05-09T00:00:00.000Z' } } });
    assert.strictEqual(mergeImport(here, there).progress.answers.p.text, 'my words');
    assert.strictEqual(mergeImport(there, here).progress.answers.p.text, 'my words');
    assert.deepStrictEqual(mergeImport(here, there).summary.conflicts, []);
  });

  it('keeps the newer quiz answer and the later-reviewed card', () => {
    const here = withProgress(
      { quizzes: { q1: { choice: 0, correct: false, answeredAt: '2026-05-01T00:00:00.000Z' }, q2: { choice: 1, correct: true, answeredAt: '2026-05-08T00:00:00.000Z' } } },
      { version: 1, cards: { q1: card('2026-05-01T00:00:00.000Z', 1), q2: card('2026-05-08T00:00:00.000Z', 4) } },
    );
    const there = withProgress(
      { quizzes: { q1: { choice: 2, correct: true, answeredAt: '2026-05-03T00:00:00.000Z' }, q2: { choice: 0, correct: false, answeredAt: '2026-05-02T00:00:00.000Z' } } },
      { version: 1, cards: { q1: card('2026-05-06T00:00:00.000Z', 3), q2: card('2026-05-02T00:00:00.000Z', 1), q3: card('2026-05-02T00:00:00.000Z', 2) } },
    );
    const { progress, review, summary } = mergeImport(here, there);
    assert.deepStrictEqual(progress.quizzes, {
      q1: { choice: 2, correct: true, answeredAt: '2026-05-03T00:00:00.000Z' },
      q2: { choice: 1, correct: true, answeredAt: '2026-05-08T00:00:00.000Z' },
    });
    assert.deepStrictEqual(Object.fromEntries(Object.entries(review.cards).map(([id, c]) => [id, c.box])), { q1: 3, q2: 4, q3: 2 });
    assert.deepStrictEqual(summary.quizzes, { added: 0, updated: 1, kept: 1 });
    assert.deepStrictEqual(summary.cards, { added: 1, updated: 1, kept: 1 });
  });

  it('takes the newer project entry whole, the earliest pass and the most hints per stage', () => {
    const here = withProgress({
      projects: {
        p: { state: 'failing', updatedAt: '2026-05-01T00:00:00.000Z', passedAt: '2026-04-20T00:00:00.000Z', hintsShown: { s1: 2, s2: 0 }, folder: '/old' } as never,
      },
    });
    const there = withProgress({
      projects: {
        p: { state: 'passing', updatedAt: '2026-05-06T00:00:00.000Z', passedAt: '2026-05-06T00:00:00.000Z', hintsShown: { s2: 1, s3: 3 }, folder: '/new', laterField: { kept: true } } as never,
      },
    });
    const { progress, summary } = mergeImport(here, there);
    assert.deepStrictEqual(progress.projects.p, {
      state: 'passing', updatedAt: '2026-05-06T00:00:00.000Z', passedAt: '2026-04-20T00:00:00.000Z',
      hintsShown: { s1: 2, s2: 1, s3: 3 }, folder: '/new', laterField: { kept: true },
    });
    assert.deepStrictEqual(summary.projects, { added: 0, updated: 1, kept: 0 });
  });

  it('counts a project as updated when only the older side adds an earlier pass', () => {
    const here = withProgress({ projects: { p: { state: 'passing', updatedAt: '2026-05-09T00:00:00.000Z', passedAt: '2026-05-09T00:00:00.000Z' } } });
    const there = withProgress({ projects: { p: { state: 'failing', updatedAt: '2026-05-01T00:00:00.000Z', passedAt: '2026-04-30T00:00:00.000Z' } } });
    const { progress, summary } = mergeImport(here, there);
    assert.deepStrictEqual(progress.projects.p, { state: 'passing', updatedAt: '2026-05-09T00:00:00.000Z', passedAt: '2026-04-30T00:00:00.000Z' });
    assert.deepStrictEqual(summary.projects, { added: 0, updated: 1, kept: 0 });
  });

  it('keeps the earliest start and the most recently opened item', () => {
    const here = withProgress({ startedAt: '2026-05-03T00:00:00.000Z', lastOpened: { kind: 'lesson', id: 'a', at: '2026-05-09T00:00:00.000Z' } });
    const there = withProgress({ startedAt: '2026-05-01T00:00:00.000Z', lastOpened: { kind: 'project', id: 'b', at: '2026-05-04T00:00:00.000Z' } });
    const { progress } = mergeImport(here, there);
    assert.strictEqual(progress.startedAt, '2026-05-01T00:00:00.000Z');
    assert.deepStrictEqual(progress.lastOpened, { kind: 'lesson', id: 'a', at: '2026-05-09T00:00:00.000Z' });
    assert.strictEqual(mergeImport(there, here).progress.lastOpened?.id, 'a');
    assert.ok(!('startedAt' in mergeImport(empty(), empty()).progress), 'no start is invented');
  });

  it('does not change its inputs or share objects with them', () => {
    const here: LearnerData = { progress: richProgress(), review: richReview() };
    const there: LearnerData = withProgress(
      { lessons: { z: { completedAt: '2026-05-01T00:00:00.000Z' } }, answers: { 'os-reflect-1': { text: 'other', updatedAt: '2026-05-30T00:00:00.000Z' } } },
      { version: 1, cards: { 'os-fork-quiz': card('2026-05-30T00:00:00.000Z', 5) } },
    );
    const before = JSON.stringify([here, there]);
    const merged = mergeImport(here, there);
    assert.strictEqual(JSON.stringify([here, there]), before);
    merged.progress.lessons['os-processes'].completedAt = 'changed';
    merged.review.cards['os-fork-quiz'].box = 1;
    merged.progress.projects['network-scanner'].lastRun!.exitCode = 99;
    assert.strictEqual(JSON.stringify([here, there]), before);
  });
});
