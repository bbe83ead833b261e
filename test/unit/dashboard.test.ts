import * as assert from 'assert';
import { parseFragment } from 'parse5';
import { CourseIndex } from '../../src/curriculum/courseIndex';
import type { Course, Module } from '../../src/curriculum/types';
import { activityCalendar, activityCalendarTable, activityLevel, barChart, barChartTable, stageProgress } from '../../src/dashboard/charts';
import { buildDashboardData, timeSince } from '../../src/dashboard/dashboardData';
import { emptyProgress, type Progress } from '../../src/progress/schema';

/* ------------------------------------------------------------------ fixtures */

function mod(id: string, number: string, lessons: string[], prompts: string[], projects: { id: string; stages: number }[] = []): Module {
  return {
    id, monthId: 'one', number, title: `Module ${id}`, keyConcepts: ['x'],
    lessons: lessons.map((l) => ({ id: l, title: `Lesson ${l}`, path: `modules/${id}/lessons/${l}.md`, moduleId: id })),
    prompts: prompts.map((p) => ({ id: p, text: `Prompt ${p}?` })),
    projects: projects.map((p) => ({
      id: p.id, title: `Project ${p.id}`, moduleId: id, language: 'rust', summary: 's', toolchain: [], testCommand: 'cargo test', prompts: [], dir: `projects/${p.id}`,
      stages: Array.from({ length: p.stages }, (_, i) => ({ id: `${p.id}-s${i + 1}`, title: `Stage ${i + 1}`, summary: '', hints: [], files: [] })),
    })),
  };
}

const course: Course = {
  id: 'c', title: 'Test Course', version: '1.0.0',
  months: [
    { id: 'one', number: 1, title: 'Basics', modules: [mod('m1', '1.1', ['a', 'b'], ['p1'], [{ id: 'scanner', stages: 3 }]), mod('m2', '1.2', ['c'], ['p2'])] },
    { id: 'two', number: 2, title: 'More', modules: [{ ...mod('m3', '2.1', ['d'], [], [{ id: 'chat', stages: 2 }, { id: 'empty', stages: 0 }]), monthId: 'two' }] },
  ],
};
const index = new CourseIndex(course);

function progress(change: (p: Progress) => void = () => undefined): Progress {
  const p = emptyProgress();
  change(p);
  return p;
}

/** Runs a block with the process in another time zone (Node re-reads TZ when it is assigned). */
function inZone(zone: string, run: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    run();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/* ------------------------------------------------------------------ parsing helpers */

interface El {
  tagName: string;
  attrs: { name: string; value: string }[];
  childNodes?: El[];
  value?: string;
  nodeName: string;
}

function elements(html: string): El[] {
  const out: El[] = [];
  const walk = (n: El) => {
    if (n.tagName) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
    const content = (n as unknown as { content?: El }).content;
    if (content) walk(content);
  };
  walk(parseFragment(html) as unknown as El);
  return out;
}

const attr = (el: El, name: string) => el.attrs.find((a) => a.name === name)?.value;
const text = (el: El): string => (el.nodeName === '#text' ? el.value ?? '' : (el.childNodes ?? []).map(text).join(''));

/** Every chart: role="img", labelled by a <title> and <desc> that exist with those ids. */
function assertLabelled(svgMarkup: string): El {
  const all = elements(svgMarkup);
  const svg = all.find((e) => e.tagName === 'svg');
  assert.ok(svg, 'an <svg> element');
  assert.strictEqual(attr(svg, 'role'), 'img');
  const ids = (attr(svg, 'aria-labelledby') ?? '').split(' ').filter(Boolean);
  assert.strictEqual(ids.length, 2, 'labelled by a title and a description');
  const [title, desc] = ids.map((id) => all.find((e) => attr(e, 'id') === id));
  assert.strictEqual(title?.tagName, 'title');
  assert.strictEqual(desc?.tagName, 'desc');
  assert.ok(text(title).trim() && text(desc).trim(), 'title and description have text');
  return svg;
}

/* ------------------------------------------------------------------ data */

describe('dashboard data', () => {
  const now = new Date(2026, 10, 4, 15, 0); // local time, in whatever zone the test sets

  it('counts completion per course, month and module like the course view does', () => {
    const p = progress((p) => {
      p.lessons.a = { completedAt: '2026-11-01T10:00:00Z' };
      p.lessons.d = { completedAt: '2026-11-01T10:00:00Z' };
      p.answers.p1 = { text: 'yes', updatedAt: '2026-11-01T10:00:00Z' };
      p.projects.scanner = { state: 'failing', updatedAt: '2026-11-01T10:00:00Z' };
      p.projects.chat = { state: 'passing', updatedAt: '2026-11-01T10:00:00Z' };
    });
    const data = buildDashboardData(index, p, now);
    assert.strictEqual(data.courseTitle, 'Test Course');
    assert.deepStrictEqual(data.course, { done: 4, total: 10 });
    assert.deepStrictEqual(data.months, [
      { id: 'one', title: 'Month 1: Basics', done: 2, total: 6 },
      { id: 'two', title: 'Month 2: More', done: 2, total: 4 },
    ]);
    assert.deepStrictEqual(
      data.modules.map((m) => [m.id, m.monthId, m.title, m.done, m.total]),
      [['m1', 'one', '1.1 Module m1', 2, 4], ['m2', 'one', '1.2 Module m2', 0, 2], ['m3', 'two', '2.1 Module m3', 2, 4]],
    );
  });

  it('puts activity on local days, counts one test run once, and finds the streaks', () => {
    inZone('America/New_York', () => {
      const p = progress((p) => {
        p.lessons.a = { completedAt: '2026-11-04T03:30:00Z' }; // 22:30 on the 3rd in New York
        p.answers.p1 = { text: 'x', updatedAt: '2026-11-03T12:00:00Z' };
        p.quizzes.q1 = { choice: 0, correct: true, answeredAt: '2026-11-02T12:00:00Z' };
        // One passing run on the day daylight saving ends: three identical stamps, one activity.
        p.projects.scanner = { state: 'passing', updatedAt: '2026-11-01T16:00:00Z', passedAt: '2026-11-01T16:00:00Z', lastRun: { at: '2026-11-01T16:00:00Z', exitCode: 0 } };
        p.lastOpened = { kind: 'lesson', id: 'b', at: '2026-10-31T12:00:00Z' };
        // An older, longer run of five days, and a day outside the 26-week window.
        for (let d = 1; d <= 5; d++) p.answers[`old${d}`] = { text: 'x', updatedAt: `2026-09-0${d}T12:00:00Z` };
        p.answers.ancient = { text: 'x', updatedAt: '2025-01-01T12:00:00Z' };
        p.answers.future = { text: 'x', updatedAt: '2026-11-09T12:00:00Z' }; // a clock ahead of ours
      });
      const a = buildDashboardData(index, p, new Date(2026, 10, 4, 15, 0)).activity;
      assert.deepStrictEqual([...a.days].slice(-4), [['2026-10-31', 1], ['2026-11-01', 1], ['2026-11-02', 1], ['2026-11-03', 2]]);
      assert.strictEqual(a.days.has('2025-01-01'), false, 'outside the window');
      assert.strictEqual(a.days.has('2026-11-09'), false, 'not in the future');
      assert.strictEqual(a.from, '2026-05-11', 'the Monday 25 weeks before this week');
      assert.strictEqual(a.to, '2026-11-04');
      assert.strictEqual(a.activeDays, 9);
      assert.strictEqual(a.activities, 10);
      assert.strictEqual(a.currentStreak, 4, 'nothing yet today: the streak that reached yesterday still counts');
      assert.strictEqual(a.longestStreak, 5);

      const lateYesterday = buildDashboardData(index, p, new Date(2026, 10, 3, 23, 59)).activity;
      assert.strictEqual(lateYesterday.currentStreak, 4, 'the 3rd is today and active');
      assert.strictEqual(buildDashboardData(index, p, new Date(2026, 10, 5, 0, 1)).activity.currentStreak, 0, 'a whole day without study ends it');
    });
  });

  it('uses the time zone it runs in: the same stamp lands on the next day in UTC', () => {
    inZone('UTC', () => {
      const p = progress((p) => void (p.lessons.a = { completedAt: '2026-11-04T03:30:00Z' }));
      const a = buildDashboardData(index, p, new Date('2026-11-04T15:00:00Z')).activity;
      assert.deepStrictEqual([...a.days], [['2026-11-04', 1]]);
      assert.strictEqual(a.currentStreak, 1);
    });
  });

  it('tallies quiz accuracy per module in course order, with unknown quizzes under "other"', () => {
    const p = progress((p) => {
      p.quizzes['m1-q1'] = { choice: 1, correct: true, answeredAt: 't' };
      p.quizzes['m1-q2'] = { choice: 0, correct: false, answeredAt: 't' };
      p.quizzes['m3-q1'] = { choice: 2, correct: true, answeredAt: 't' };
      p.quizzes.mystery = { choice: 0, correct: true, answeredAt: 't' };
      p.quizzes['gone-q1'] = { choice: 0, correct: false, answeredAt: 't' };
    });
    const quizModule = (id: string) => ({ 'm1-q1': 'm1', 'm1-q2': 'm1', 'm3-q1': 'm3', 'gone-q1': 'gone' })[id];
    assert.deepStrictEqual(buildDashboardData(index, p, now, undefined, quizModule).quizzes, [
      { id: 'm1', title: '1.1 Module m1', answered: 2, correct: 1 },
      { id: 'm2', title: '1.2 Module m2', answered: 0, correct: 0 },
      { id: 'm3', title: '2.1 Module m3', answered: 1, correct: 1 },
      { id: 'other', title: 'Other quizzes', answered: 2, correct: 1 },
    ]);
    const withoutMapping = buildDashboardData(index, p, now).quizzes;
    assert.deepStrictEqual(withoutMapping.at(-1), { id: 'other', title: 'Other quizzes', answered: 5, correct: 3 });
  });

  it('lists projects in course order with their stage progress', () => {
    const p = progress((p) => {
      p.projects.scanner = { state: 'failing', updatedAt: 't', lastRun: { at: '2026-11-02T09:00:00Z', exitCode: 1, stagesPassed: 1, stagesTotal: 3 } };
      p.projects.chat = { state: 'failing', updatedAt: 't', lastRun: { at: 't2', exitCode: 1, stagesPassed: 9, stagesTotal: 9 } }; // the course has fewer stages now
      p.projects.empty = { state: 'passing', updatedAt: 't' };
    });
    assert.deepStrictEqual(buildDashboardData(index, p, now).projects, [
      { id: 'scanner', title: 'Project scanner', moduleId: 'm1', state: 'failing', stagesPassed: 1, stagesTotal: 3, lastRunAt: '2026-11-02T09:00:00Z' },
      { id: 'chat', title: 'Project chat', moduleId: 'm3', state: 'failing', stagesPassed: 2, stagesTotal: 2, lastRunAt: 't2' },
      { id: 'empty', title: 'Project empty', moduleId: 'm3', state: 'passing', stagesPassed: 0, stagesTotal: 0, lastRunAt: undefined },
    ]);
    p.projects.scanner.state = 'passing';
    delete p.projects.chat;
    const [scanner, chat] = buildDashboardData(index, p, now).projects;
    assert.strictEqual(scanner.stagesPassed, 3, 'passing means every stage');
    assert.strictEqual(chat.state, undefined, 'not started');
    assert.strictEqual(chat.stagesPassed, 0);
  });

  it('says how long ago the learner was last active, in calendar days', () => {
    const at = (d: number, h = 12, m = 0) => new Date(2026, 10, d, h, m);
    assert.strictEqual(timeSince(at(4, 0, 1), at(4, 23, 59)), 'today');
    assert.strictEqual(timeSince(at(3, 23, 59), at(4, 0, 1)), 'yesterday', 'two minutes, but across midnight');
    assert.strictEqual(timeSince(at(1), at(4)), '3 days ago');
    assert.strictEqual(timeSince(at(1), at(8)), '1 week ago');
    assert.strictEqual(timeSince(new Date(2026, 9, 20), at(4)), '2 weeks ago');
    assert.strictEqual(timeSince(new Date(2026, 8, 1), at(4)), '2 months ago');
    assert.strictEqual(timeSince(new Date(2024, 10, 1), at(4)), '2 years ago');
    assert.strictEqual(timeSince(at(6), at(4)), 'today', 'a clock ahead of ours is not "in 2 days"');

    const p = progress((p) => {
      p.lessons.a = { completedAt: new Date(2026, 9, 30, 8).toISOString() };
      p.answers.p1 = { text: 'x', updatedAt: new Date(2026, 10, 1, 8).toISOString() };
    });
    assert.deepStrictEqual(buildDashboardData(index, p, at(4)).lastActivity, { at: new Date(2026, 10, 1, 8).toISOString(), phrase: '3 days ago' });
    assert.strictEqual(buildDashboardData(index, progress(), at(4)).lastActivity, undefined);
  });

  it('passes the review summary through', () => {
    assert.deepStrictEqual(buildDashboardData(index, progress(), now, { due: 3, total: 40, next: 'tomorrow' }).review, { due: 3, total: 40, next: 'tomorrow' });
    assert.strictEqual(buildDashboardData(index, progress(), now).review, undefined);
  });
});

/* ------------------------------------------------------------------ charts */

describe('dashboard charts', () => {
  const hostile = '<img src=x onerror="alert(1)">&';
  const end = new Date(2026, 10, 4, 12); // a Wednesday

  function allCharts(): string[] {
    return [
      barChart([{ label: hostile, value: 2, max: 5, valueText: hostile }], { title: hostile, description: hostile }),
      barChart([], { title: 'Empty', description: 'Nothing' }),
      barChartTable([{ label: hostile, value: 2, max: 5 }], { caption: hostile }),
      activityCalendar(new Map([['2026-11-03', 3]]), end, 26, { title: hostile, description: hostile }),
      activityCalendarTable(new Map([['2026-11-03', 3]]), end, 26),
      stageProgress(2, 5, hostile),
    ];
  }

  it('draws bars with their values as text and widths as a share of the maximum', () => {
    const svgMarkup = barChart(
      [{ label: 'Month 1', value: 3, max: 4 }, { label: 'Month 2', value: 0, max: 6 }, { label: 'Nothing', value: 0, max: 0 }],
      { title: 'Completion', description: 'Done per month', id: 'chart-months' },
    );
    const svg = assertLabelled(svgMarkup);
    assert.strictEqual(attr(svg, 'aria-labelledby'), 'chart-months-title chart-months-desc');
    const all = elements(svgMarkup);
    assert.deepStrictEqual(all.filter((e) => attr(e, 'class') === 'bar-fill').map((e) => attr(e, 'width')), ['75%'], 'no fill for zero');
    assert.strictEqual(all.filter((e) => attr(e, 'class') === 'bar-track').length, 3);
    assert.deepStrictEqual(all.filter((e) => attr(e, 'class') === 'label').map(text), ['Month 1', 'Month 2', 'Nothing']);
    assert.deepStrictEqual(all.filter((e) => attr(e, 'class') === 'value').map(text), ['3/4', '0/6', '0/0']);
    assert.match(barChartTable([{ label: 'Month 1', value: 3, max: 4 }], { caption: 'Completion' }), /<th scope="row">Month 1<\/th><td>3<\/td><td>4<\/td><td>75%<\/td>/);
  });

  it('gives every chart a title and description of its own', () => {
    const a = barChart([{ label: 'x', value: 1, max: 1 }], { title: 'A', description: 'a' });
    const b = barChart([{ label: 'x', value: 1, max: 1 }], { title: 'B', description: 'b' });
    const idOf = (s: string) => attr(assertLabelled(s), 'aria-labelledby');
    assert.notStrictEqual(idOf(a), idOf(b));
    assertLabelled(activityCalendar(new Map(), end, 4, { title: 'Activity', description: 'Per day' }));
    assertLabelled(stageProgress(1, 3, 'Scanner'));
    assertLabelled(barChart([], { title: 'Empty', description: 'Nothing yet' }));
  });

  it('escapes hostile text: no element or event handler comes out of it', () => {
    for (const markup of allCharts()) {
      const all = elements(markup);
      assert.ok(!all.some((e) => e.tagName === 'img'), markup);
      assert.ok(!all.some((e) => e.attrs.some((a) => a.name.startsWith('on'))), markup);
    }
    const svg = allCharts()[0];
    const title = elements(svg).find((e) => e.tagName === 'title');
    assert.strictEqual(text(title!), hostile, 'shown as the text it is');
  });

  it('uses no inline style anywhere (the CSP forbids it)', () => {
    for (const markup of allCharts()) {
      assert.doesNotMatch(markup, /\sstyle\s*=/i);
      assert.ok(!elements(markup).some((e) => e.tagName === 'style' || attr(e, 'style') !== undefined));
    }
  });

  it('lays out the calendar in week columns up to the end day, shaded by level', () => {
    const days = new Map([['2026-11-02', 1], ['2026-11-03', 3], ['2026-11-04', 7], ['2026-10-28', 5], ['2026-11-05', 9]]);
    const markup = activityCalendar(days, end, 2, { title: 'Activity', description: 'Per day' });
    assertLabelled(markup);
    const squares = elements(markup).filter((e) => (attr(e, 'class') ?? '').startsWith('day ') && e.childNodes?.some((c) => c.tagName === 'title'));
    // Two columns starting Monday 26 October; the second stops at Wednesday 4 November.
    assert.strictEqual(squares.length, 7 + 3);
    const byDay = new Map(squares.map((s) => [text(s.childNodes!.find((c) => c.tagName === 'title')!), attr(s, 'class')]));
    assert.strictEqual(byDay.get('No activity on 2026-10-26'), 'day level-0');
    assert.strictEqual(byDay.get('5 activities on 2026-10-28'), 'day level-3');
    assert.strictEqual(byDay.get('1 activity on 2026-11-02'), 'day level-1');
    assert.strictEqual(byDay.get('3 activities on 2026-11-03'), 'day level-2');
    assert.strictEqual(byDay.get('7 activities on 2026-11-04'), 'day level-4');
    assert.ok(![...byDay.keys()].some((t) => t.includes('2026-11-05')), 'nothing after the end day');
    const first = squares[0];
    const monday = squares.find((s) => text(s).includes('2026-11-02'))!;
    assert.strictEqual(attr(monday, 'y'), attr(first, 'y'), 'Mondays share the top row');
    assert.ok(Number(attr(monday, 'x')) > Number(attr(first, 'x')), 'a new week is a new column');
    assert.deepStrictEqual([0, 1, 2, 3, 4, 6, 7, 100].map(activityLevel), [0, 1, 2, 2, 3, 3, 4, 4]);

    const table = activityCalendarTable(days, end, 2);
    assert.deepStrictEqual(elements(table).filter((e) => e.tagName === 'tr').slice(1).map(text), ['2026-10-285', '2026-11-021', '2026-11-033', '2026-11-047']);
    assert.match(activityCalendarTable(new Map(), end, 2), /No study activity recorded from 2026-10-26 to 2026-11-04/);
  });

  it('draws a segment per stage, the passed ones first', () => {
    const markup = stageProgress(2, 5, 'Scanner', { id: 'stages-scanner' });
    const svg = assertLabelled(markup);
    assert.strictEqual(attr(svg, 'aria-labelledby'), 'stages-scanner-title stages-scanner-desc');
    const stages = elements(markup).filter((e) => (attr(e, 'class') ?? '').startsWith('stage '));
    assert.deepStrictEqual(stages.map((s) => attr(s, 'class')), ['stage passed', 'stage passed', 'stage pending', 'stage pending', 'stage pending']);
    assert.deepStrictEqual(stages.map((s) => attr(s, 'x')), ['0%', '20%', '40%', '60%', '80%']);
    assert.match(markup, /<desc id="stages-scanner-desc">2 of 5 stages passed<\/desc>/);
    assert.match(stageProgress(9, 3, 'Too many'), /3 of 3 stages passed/, 'clamped to the stages there are');
  });
});
