import * as assert from 'assert';
import * as path from 'path';
import { CourseIndex } from '../../src/curriculum/courseIndex';
import { loadCurriculum } from '../../src/curriculum/loader';
import { NodeCurriculumSource } from '../../src/curriculum/nodeSource';
import { emptyProgress, type Progress } from '../../src/progress/schema';
import { addLocalDays } from '../../src/progress/localDays';
import { LessonRenderer } from '../../src/render/markdown';
import { buildQuizCatalog, quizzesInMarkdown } from '../../src/review/quizCatalog';
import { emptyReviewState, readReviewState, syncWithProgress, type ReviewState } from '../../src/review/reviewState';
import {
  BOX_INTERVAL_DAYS, dueCards, dueCount, dueCountsByDay, enrolCard, isDue, nextDueDay, review, type Card,
} from '../../src/review/scheduler';
import { repoRoot } from './helpers';

const at = (iso: string) => new Date(iso);

/** Day boundaries are local; these tests pin the zone and put it back afterwards. */
function inTimeZone(zone: string): void {
  let saved: string | undefined;
  before(() => {
    saved = process.env.TZ;
    process.env.TZ = zone;
  });
  after(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}

function card(box: number, due: string, extra: Partial<Card> = {}): Card {
  return { box, due, lastReviewedAt: '2026-01-01T09:00:00.000Z', reviews: 0, lapses: 0, ...extra };
}

function deck(cards: Record<string, Card>): ReviewState {
  return { version: 1, cards };
}

describe('review scheduler (UTC)', () => {
  inTimeZone('UTC');

  it('enrols a first right answer in box 1, due at the start of the next day', () => {
    assert.deepStrictEqual(enrolCard(at('2026-03-10T15:42:00Z'), true), {
      box: 1, due: '2026-03-11T00:00:00.000Z', lastReviewedAt: '2026-03-10T15:42:00.000Z', reviews: 0, lapses: 0,
    });
  });

  it('enrols a first wrong answer as due today', () => {
    const c = enrolCard(at('2026-03-10T15:42:00Z'), false);
    assert.strictEqual(c.due, '2026-03-10T00:00:00.000Z');
    assert.ok(isDue(c, at('2026-03-10T15:43:00Z')));
  });

  it('moves a card up one box per right answer, waiting 1, 2, 4, 8, 16 days, and stays in box 5', () => {
    assert.deepStrictEqual(BOX_INTERVAL_DAYS, [1, 2, 4, 8, 16]);
    let c = enrolCard(at('2026-03-01T08:00:00Z'));
    const seen: { box: number; due: string }[] = [];
    for (let i = 0; i < 5; i++) {
      // Answer at a random-looking hour of the day the card is due.
      const now = new Date(Date.parse(c.due) + (7 + i) * 3_600_000);
      c = review(c, true, now);
      seen.push({ box: c.box, due: c.due });
    }
    assert.deepStrictEqual(seen, [
      { box: 2, due: '2026-03-04T00:00:00.000Z' }, // answered 03-02, +2
      { box: 3, due: '2026-03-08T00:00:00.000Z' }, // answered 03-04, +4
      { box: 4, due: '2026-03-16T00:00:00.000Z' }, // answered 03-08, +8
      { box: 5, due: '2026-04-01T00:00:00.000Z' }, // answered 03-16, +16
      { box: 5, due: '2026-04-17T00:00:00.000Z' }, // answered 04-01, still box 5, +16
    ]);
    assert.strictEqual(c.reviews, 5);
    assert.strictEqual(c.lapses, 0);
  });

  it('sends a wrong answer back to box 1, due the next day, and counts the lapse', () => {
    const before = card(4, '2026-03-16T00:00:00.000Z', { reviews: 3, lapses: 1 });
    const after = review(before, false, at('2026-03-16T20:00:00Z'));
    assert.deepStrictEqual(after, { box: 1, due: '2026-03-17T00:00:00.000Z', lastReviewedAt: '2026-03-16T20:00:00.000Z', reviews: 4, lapses: 2 });
    assert.strictEqual(before.box, 4, 'review returns a new card');
  });

  it('treats "due tomorrow" as due for the whole of tomorrow, from midnight', () => {
    const c = enrolCard(at('2026-03-10T23:59:00Z'));
    assert.ok(!isDue(c, at('2026-03-10T23:59:59Z')));
    assert.ok(isDue(c, at('2026-03-11T00:00:00Z')));
    assert.ok(isDue(c, at('2026-03-11T23:59:59Z')));
    assert.ok(isDue(c, at('2026-03-20T12:00:00Z')), 'an overdue card stays due');
  });

  it('compares a due time that is not at midnight by its calendar day', () => {
    const c = card(1, '2026-03-11T18:00:00.000Z');
    assert.ok(isDue(c, at('2026-03-11T06:00:00Z')));
    assert.ok(!isDue(c, at('2026-03-10T23:00:00Z')));
  });

  it('counts due cards day by day as the clock moves', () => {
    const d = deck({
      a: enrolCard(at('2026-05-01T10:00:00Z'), false), // due 05-01
      b: enrolCard(at('2026-05-01T10:00:00Z'), true), // due 05-02
      c: card(2, '2026-05-03T00:00:00.000Z'),
      d: card(3, '2026-05-05T00:00:00.000Z'),
    });
    const counts = ['2026-05-01T12:00:00Z', '2026-05-01T23:59:59Z', '2026-05-02T00:00:00Z', '2026-05-03T09:00:00Z', '2026-05-04T09:00:00Z', '2026-05-05T09:00:00Z']
      .map((t) => dueCount(d, at(t)));
    assert.deepStrictEqual(counts, [1, 1, 2, 3, 3, 4]);
  });

  it('lists due cards most overdue first, then lower box first', () => {
    const d = deck({
      late: card(3, '2026-05-01T00:00:00.000Z'),
      sameDayBox4: card(4, '2026-05-03T00:00:00.000Z'),
      sameDayBox1: card(1, '2026-05-03T00:00:00.000Z'),
      notYet: card(1, '2026-05-09T00:00:00.000Z'),
      earliest: card(5, '2026-04-20T00:00:00.000Z'),
    });
    assert.deepStrictEqual(dueCards(d, at('2026-05-04T10:00:00Z')).map((x) => x.quizId), ['earliest', 'late', 'sameDayBox1', 'sameDayBox4']);
  });

  it('forecasts cards per day, with everything overdue counted today', () => {
    const d = deck({
      overdue: card(1, '2026-04-28T00:00:00.000Z'),
      today: card(1, '2026-05-01T00:00:00.000Z'),
      tomorrowA: card(2, '2026-05-02T00:00:00.000Z'),
      tomorrowB: card(2, '2026-05-02T00:00:00.000Z'),
      inThree: card(3, '2026-05-04T00:00:00.000Z'),
      beyond: card(5, '2026-05-20T00:00:00.000Z'),
    });
    assert.deepStrictEqual(dueCountsByDay(d, at('2026-05-01T21:00:00Z'), 4), [
      { day: '2026-05-01', count: 2 },
      { day: '2026-05-02', count: 2 },
      { day: '2026-05-03', count: 0 },
      { day: '2026-05-04', count: 1 },
    ]);
    assert.deepStrictEqual(dueCountsByDay(d, at('2026-05-01T21:00:00Z'), 0), []);
  });

  it('finds the next due day among the cards asked about', () => {
    const d = deck({ a: card(1, '2026-05-09T00:00:00.000Z'), gone: card(1, '2026-05-02T00:00:00.000Z') });
    assert.strictEqual(nextDueDay(d)?.toISOString(), '2026-05-02T00:00:00.000Z');
    assert.strictEqual(nextDueDay(d, (id) => id !== 'gone')?.toISOString(), '2026-05-09T00:00:00.000Z');
    assert.strictEqual(nextDueDay(deck({})), undefined);
  });
});

describe('review scheduler (a zone with daylight saving)', () => {
  inTimeZone('Europe/Berlin');

  it('uses the local midnight, not the UTC one', () => {
    // 23:30 in Berlin on 10 March (UTC+1) is 22:30 UTC: tomorrow starts at 23:00 UTC.
    const c = enrolCard(at('2026-03-10T22:30:00Z'));
    assert.strictEqual(c.due, '2026-03-10T23:00:00.000Z');
    assert.ok(!isDue(c, at('2026-03-10T22:59:59Z')));
    assert.ok(isDue(c, at('2026-03-10T23:00:00Z')));
  });

  it('keeps due dates on local midnight across the change to summer time', () => {
    // Clocks go forward on 29 March 2026; the 27th + 4 days is 00:00 on the 31st, UTC+2.
    assert.strictEqual(addLocalDays(at('2026-03-27T12:00:00Z'), 4).toISOString(), '2026-03-30T22:00:00.000Z');
    const c = review(card(2, '2026-03-26T23:00:00.000Z'), true, at('2026-03-27T12:00:00Z'));
    assert.strictEqual(c.box, 3);
    assert.strictEqual(c.due, '2026-03-30T22:00:00.000Z');
  });
});

describe('review state', () => {
  it('reads nothing as empty and a valid record as ok', () => {
    assert.deepStrictEqual(readReviewState(undefined), { kind: 'empty' });
    assert.deepStrictEqual(readReviewState(null), { kind: 'empty' });
    const state = deck({ q1: card(2, '2026-05-03T00:00:00.000Z', { reviews: 2, lapses: 1 }) });
    assert.deepStrictEqual(readReviewState(state), { kind: 'ok', state });
    assert.deepStrictEqual(readReviewState({ version: 1 }), { kind: 'ok', state: emptyReviewState() });
  });

  it('refuses a record from a newer version', () => {
    assert.deepStrictEqual(readReviewState({ version: 2, cards: {} }), { kind: 'newer', version: 2 });
  });

  it('calls an unusable record corrupt, with a reason that names what is wrong', () => {
    const good = card(2, '2026-05-03T00:00:00.000Z');
    const cases: [unknown, RegExp][] = [
      ['text', /expected an object, found a string/],
      [[], /found an array/],
      [{ cards: {} }, /"version"/],
      [{ version: 0, cards: {} }, /"version"/],
      [{ version: 1, cards: [] }, /"cards" must be an object/],
      [{ version: 1, cards: { q1: 'x' } }, /card "q1": expected an object/],
      [{ version: 1, cards: { q1: { ...good, box: 0 } } }, /card "q1": "box" must be a whole number from 1 to 5 \(found 0\)/],
      [{ version: 1, cards: { q1: { ...good, box: 6 } } }, /"box"/],
      [{ version: 1, cards: { q1: { ...good, box: 2.5 } } }, /"box"/],
      [{ version: 1, cards: { q2: { ...good, due: 'soon' } } }, /card "q2": "due" must be a date-time string \(found "soon"\)/],
      [{ version: 1, cards: { q1: { ...good, lastReviewedAt: undefined } } }, /"lastReviewedAt"/],
      [{ version: 1, cards: { q1: { ...good, reviews: -1 } } }, /"reviews"/],
      [{ version: 1, cards: { q1: { ...good, lapses: '1' } } }, /"lapses"/],
    ];
    for (const [stored, reason] of cases) {
      const out = readReviewState(stored);
      assert.strictEqual(out.kind, 'corrupt', JSON.stringify(stored));
      if (out.kind === 'corrupt') assert.match(out.reason, reason);
    }
  });

  describe('syncing with progress', () => {
    inTimeZone('UTC');

    it('enrols every answered quiz without a card, from when and how it was answered', () => {
      const progress: Progress = {
        ...emptyProgress(),
        quizzes: {
          right: { choice: 1, correct: true, answeredAt: '2026-05-01T10:00:00.000Z' },
          wrong: { choice: 0, correct: false, answeredAt: '2026-05-01T10:00:00.000Z' },
          unreadableTime: { choice: 0, correct: true, answeredAt: 'yesterday-ish' },
          existing: { choice: 2, correct: false, answeredAt: '2026-05-01T10:00:00.000Z' },
        },
      };
      const existing = card(4, '2026-05-10T00:00:00.000Z', { reviews: 3 });
      const state = deck({ existing });
      const synced = syncWithProgress(state, progress, at('2026-05-02T08:00:00Z'));
      assert.deepStrictEqual(synced.cards, {
        existing,
        right: enrolCard(at('2026-05-01T10:00:00.000Z'), true),
        wrong: enrolCard(at('2026-05-01T10:00:00.000Z'), false),
        unreadableTime: enrolCard(at('2026-05-02T08:00:00Z'), true),
      });
      assert.strictEqual(synced.cards.right.due, '2026-05-02T00:00:00.000Z');
      assert.strictEqual(synced.cards.wrong.due, '2026-05-01T00:00:00.000Z');
      assert.deepStrictEqual(Object.keys(state.cards), ['existing'], 'the input state is not changed');
    });
  });
});

const quizBlock = (id: string, fence = '```', info = 'quiz') =>
  `${fence}${info}\n${JSON.stringify({
    id,
    question: `Question ${id}?`,
    choices: [{ text: 'yes', correct: true, explanation: 'because' }, { text: 'no', explanation: 'because not' }],
  }, null, 2)}\n${fence}\n`;

describe('quiz catalog', () => {
  it('finds quiz fences of either kind and skips other and broken blocks', () => {
    const markdown = [
      '## Section',
      quizBlock('backticks'),
      '```rust\nfn main() {}\n```',
      quizBlock('tildes', '~~~~'),
      '```quiz\n{ not json\n```',
      '```quiz\n{"id": "no-choices", "question": "?"}\n```',
      quizBlock('with-attributes', '```', 'quiz  data-x'),
      '1. A list item:\n',
      quizBlock('in-list').split('\n').map((l) => `   ${l}`).join('\n'),
    ].join('\n');
    assert.deepStrictEqual(quizzesInMarkdown(markdown).map((q) => q.id), ['backticks', 'tildes', 'with-attributes', 'in-list']);
  });

  it('reads the parsed quiz, answer included', () => {
    const [quiz] = quizzesInMarkdown(quizBlock('q'));
    assert.strictEqual(quiz.question, 'Question q?');
    assert.strictEqual(quiz.answer, 0);
    assert.deepStrictEqual(quiz.choices.map((c) => c.text), ['yes', 'no']);
  });

  it('ignores a quiz shown inside a longer fence, and fences closed by the wrong marker', () => {
    const example = `\`\`\`\`markdown\nHow to write a quiz:\n\n${quizBlock('example')}\`\`\`\`\n`;
    assert.deepStrictEqual(quizzesInMarkdown(example), []);
    // ``` does not close ~~~, so the quiz after it is still inside the tilde fence.
    const mixed = `~~~text\n\`\`\`\n${quizBlock('hidden')}~~~\n${quizBlock('after')}`;
    assert.deepStrictEqual(quizzesInMarkdown(mixed).map((q) => q.id), ['after']);
  });

  it('takes an unclosed quiz fence to the end of the document, as Markdown does', () => {
    const open = quizBlock('open').replace(/```\n$/, '');
    assert.deepStrictEqual(quizzesInMarkdown(open).map((q) => q.id), ['open']);
    assert.deepStrictEqual(quizzesInMarkdown(open.replace(/\n/g, '\r\n')).map((q) => q.id), ['open']);
  });

  it('finds all 165 quizzes of the course, the same ones the lesson view renders', async () => {
    const source = new NodeCurriculumSource(path.join(repoRoot, 'curriculum'));
    const { course } = await loadCurriculum(source);
    assert.ok(course, 'the curriculum loads');
    const index = new CourseIndex(course);
    const catalog = await buildQuizCatalog(index, (p) => source.readText(p));
    assert.strictEqual(catalog.size, 165);

    const renderer = new LessonRenderer();
    for (const lesson of index.lessons) {
      const text = (await source.readText(lesson.path)) ?? '';
      const rendered = renderer.render(text, { docPath: lesson.path, lessonIdForPath: () => undefined, imageSrc: () => undefined }).quizzes.map((q) => q.id);
      assert.deepStrictEqual(quizzesInMarkdown(text).map((q) => q.id), rendered, lesson.path);
      for (const id of rendered) {
        const entry = catalog.get(id);
        assert.strictEqual(entry?.lessonId, lesson.id, id);
        assert.strictEqual(entry?.moduleId, lesson.moduleId, id);
        assert.strictEqual(entry?.lessonTitle, lesson.title, id);
      }
    }
  });

  it('leaves out lessons that cannot be read, and keeps the first of two quizzes with one id', async () => {
    const lessons = [
      { id: 'l1', title: 'One', path: 'm/l1.md', moduleId: 'm' },
      { id: 'l2', title: 'Two', path: 'm/l2.md', moduleId: 'm' },
      { id: 'l3', title: 'Three', path: 'm/l3.md', moduleId: 'm' },
    ];
    const index = new CourseIndex({
      id: 'c', title: 'C', version: '1',
      months: [{ id: 'mo', number: 1, title: 'M', modules: [{ id: 'm', number: '1.1', title: 'M', keyConcepts: [], lessons, projects: [], prompts: [], monthId: 'mo' }] }],
    });
    const files: Record<string, string> = { 'm/l1.md': quizBlock('shared') + quizBlock('a'), 'm/l3.md': quizBlock('shared') + quizBlock('c') };
    const catalog = await buildQuizCatalog(index, async (p) => files[p]);
    assert.deepStrictEqual([...catalog.keys()], ['shared', 'a', 'c']);
    assert.strictEqual(catalog.get('shared')?.lessonId, 'l1');
    assert.strictEqual(catalog.get('c')?.lessonTitle, 'Three');
  });
});
