import * as l10n from '@vscode/l10n';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Project } from '../curriculum/types';
import type { Progress, ProjectProgress, ProjectState } from '../progress/schema';
import { addLocalDays, calendarDaysBetween, dayKeyToDate, localDayKey, startOfLocalDay, startOfWeek } from '../progress/localDays';
import { countCourse, countModule, countMonth, stagesPassedOf, type Count } from '../progress/summary';

/**
 * Everything the dashboard shows, computed from the course and the learner's progress without
 * touching VS Code, so it can be tested with a fixed clock.
 *
 * Days are *local* calendar days (the learner's time zone, as `Date` sees it): a lesson finished
 * at 23:30 counts for that evening, not for the next UTC day. Every day computation in this file
 * goes through the helpers below, which build dates from local year/month/day fields, so a
 * daylight-saving change never shifts a day boundary.
 */

/** How far back the activity calendar reaches. */
export const ACTIVITY_WEEKS = 26;

export interface CompletionRow {
  readonly id: string;
  readonly title: string;
  readonly done: number;
  readonly total: number;
}

export interface ModuleCompletion extends CompletionRow {
  readonly monthId: string;
}

export interface ActivitySummary {
  /** Local day (YYYY-MM-DD) → number of recorded activities, only days inside the window. */
  readonly days: ReadonlyMap<string, number>;
  /** First and last day of the window (the last is today). */
  readonly from: string;
  readonly to: string;
  readonly weeks: number;
  readonly activeDays: number;
  readonly activities: number;
  /** Consecutive days with activity ending today, or yesterday if nothing happened today yet. */
  readonly currentStreak: number;
  /** Longest run of consecutive active days in everything recorded (not only the window). */
  readonly longestStreak: number;
}

export interface QuizAccuracy {
  /** A module id, or `other` for quizzes whose module is not known. */
  readonly id: string;
  readonly title: string;
  readonly answered: number;
  readonly correct: number;
}

export interface ProjectStatus {
  readonly id: string;
  readonly title: string;
  readonly moduleId: string;
  /** Undefined when the learner has not scaffolded the project. */
  readonly state: ProjectState | undefined;
  readonly stagesPassed: number;
  readonly stagesTotal: number;
  readonly lastRunAt: string | undefined;
}

export interface ReviewSummary {
  readonly due: number;
  readonly total: number;
  readonly next?: string;
}

export interface LastActivity {
  /** The ISO timestamp as stored. */
  readonly at: string;
  /** "today", "yesterday", "3 days ago", "2 weeks ago"… */
  readonly phrase: string;
}

export interface DashboardData {
  readonly courseTitle: string;
  /** Today, as a local day (YYYY-MM-DD). */
  readonly today: string;
  readonly course: Count;
  readonly months: readonly CompletionRow[];
  readonly modules: readonly ModuleCompletion[];
  readonly activity: ActivitySummary;
  readonly quizzes: readonly QuizAccuracy[];
  readonly projects: readonly ProjectStatus[];
  readonly lastActivity: LastActivity | undefined;
  readonly review: ReviewSummary | undefined;
}

export const OTHER_QUIZZES = 'other';

export function buildDashboardData(
  index: CourseIndex,
  progress: Readonly<Progress>,
  now: Date,
  review?: ReviewSummary,
  quizModule?: (quizId: string) => string | undefined,
): DashboardData {
  const months = index.course.months;
  const stamps = activityStamps(progress);
  const latest = latestStamp(stamps, now);
  return {
    courseTitle: index.course.title,
    today: localDayKey(now),
    course: countCourse(progress, index),
    months: months.map((m) => ({ id: m.id, title: l10n.t('Month {0}: {1}', m.number, m.title), ...countMonth(m, progress, index) })),
    modules: months.flatMap((m) => m.modules.map((mod) => ({ id: mod.id, monthId: m.id, title: `${mod.number} ${mod.title}`, ...countModule(mod, progress, index) }))),
    activity: summariseActivity(stamps, now, ACTIVITY_WEEKS),
    quizzes: quizAccuracy(index, progress, quizModule),
    projects: months.flatMap((m) => m.modules.flatMap((mod) => mod.projects.map((p) => projectStatus(p, progress.projects[p.id])))),
    lastActivity: latest ? { at: latest.iso, phrase: timeSince(latest.date, now) } : undefined,
    review: review ? { ...review } : undefined,
  };
}

/* ---------------------------------------------------------------- activity */

/**
 * Every timestamp progress records, one per thing the learner did. Progress keeps only the
 * latest state of each item, so this is a lower bound of what happened (an answer edited on three
 * days counts once, on the last). A project's updatedAt, lastRun.at and passedAt are usually the
 * same instant (one test run), so identical stamps of one project count once.
 */
export function activityStamps(progress: Readonly<Progress>): string[] {
  const stamps: string[] = [];
  for (const l of Object.values(progress.lessons)) stamps.push(l.completedAt);
  for (const a of Object.values(progress.answers)) stamps.push(a.updatedAt);
  for (const q of Object.values(progress.quizzes)) stamps.push(q.answeredAt);
  for (const p of Object.values(progress.projects)) {
    stamps.push(...new Set([p.updatedAt, p.lastRun?.at, p.passedAt].filter((s): s is string => typeof s === 'string')));
  }
  if (progress.lastOpened) stamps.push(progress.lastOpened.at);
  return stamps;
}

function summariseActivity(stamps: readonly string[], now: Date, weeks: number): ActivitySummary {
  const today = localDayKey(now);
  const window = activityWindow(now, weeks);
  const from = localDayKey(window.start);
  const all = new Map<string, number>();
  for (const s of stamps) {
    const d = parseStamp(s);
    if (!d) continue;
    const key = localDayKey(d);
    if (key > today) continue; // a clock ahead of ours (another synced machine): not study done yet
    all.set(key, (all.get(key) ?? 0) + 1);
  }
  const days = new Map([...all].filter(([key]) => key >= from).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    days,
    from,
    to: today,
    weeks,
    activeDays: days.size,
    activities: [...days.values()].reduce((a, b) => a + b, 0),
    currentStreak: currentStreak(new Set(all.keys()), now),
    longestStreak: longestStreak([...all.keys()]),
  };
}

export function currentStreak(active: ReadonlySet<string>, now: Date): number {
  let day = startOfLocalDay(now);
  // Today is not over: a streak that reached yesterday is still alive.
  if (!active.has(localDayKey(day))) day = addLocalDays(day, -1);
  let n = 0;
  while (active.has(localDayKey(day))) {
    n++;
    day = addLocalDays(day, -1);
  }
  return n;
}

export function longestStreak(dayKeys: readonly string[]): number {
  const sorted = [...new Set(dayKeys)].sort();
  let best = 0;
  let run = 0;
  let previous: Date | undefined;
  for (const key of sorted) {
    const day = dayKeyToDate(key);
    run = previous && calendarDaysBetween(previous, day) === 1 ? run + 1 : 1;
    best = Math.max(best, run);
    previous = day;
  }
  return best;
}

function latestStamp(stamps: readonly string[], now: Date): { iso: string; date: Date } | undefined {
  let latest: { iso: string; date: Date } | undefined;
  for (const iso of stamps) {
    const date = parseStamp(iso);
    if (date && (!latest || date.getTime() > latest.date.getTime())) latest = { iso, date };
  }
  // A stamp from the future (clock skew) reads as "today" rather than as nonsense.
  return latest && latest.date.getTime() > now.getTime() ? { iso: latest.iso, date: now } : latest;
}

/** How long ago, in whole local calendar days, rounded down to weeks, months and years. */
export function timeSince(then: Date, now: Date): string {
  const days = Math.max(0, calendarDaysBetween(startOfLocalDay(then), startOfLocalDay(now)));
  if (days === 0) return l10n.t('today');
  if (days === 1) return l10n.t('yesterday');
  if (days < 7) return l10n.t('{0} days ago', days);
  if (days < 30) {
    const weeks = Math.floor(days / 7);
    return weeks === 1 ? l10n.t('1 week ago') : l10n.t('{0} weeks ago', weeks);
  }
  if (days < 365) {
    const months = Math.floor(days / 30);
    return months === 1 ? l10n.t('1 month ago') : l10n.t('{0} months ago', months);
  }
  const years = Math.floor(days / 365);
  return years === 1 ? l10n.t('1 year ago') : l10n.t('{0} years ago', years);
}

/* ---------------------------------------------------------------- quizzes */

/** Per module in course order (modules with no answers included, so gaps show), then `other`. */
function quizAccuracy(index: CourseIndex, progress: Readonly<Progress>, quizModule?: (quizId: string) => string | undefined): QuizAccuracy[] {
  const tally = new Map<string, { answered: number; correct: number }>();
  for (const [quizId, q] of Object.entries(progress.quizzes)) {
    const moduleId = quizModule?.(quizId);
    const key = moduleId !== undefined && index.module(moduleId) ? moduleId : OTHER_QUIZZES;
    const t = tally.get(key) ?? { answered: 0, correct: 0 };
    t.answered++;
    if (q.correct) t.correct++;
    tally.set(key, t);
  }
  const rows: QuizAccuracy[] = index.course.months.flatMap((m) =>
    m.modules.map((mod) => ({ id: mod.id, title: `${mod.number} ${mod.title}`, ...(tally.get(mod.id) ?? { answered: 0, correct: 0 }) })),
  );
  const other = tally.get(OTHER_QUIZZES);
  if (other) rows.push({ id: OTHER_QUIZZES, title: l10n.t('Other quizzes'), ...other });
  return rows;
}

/* ---------------------------------------------------------------- projects */


function projectStatus(project: Project, state: ProjectProgress | undefined): ProjectStatus {
  return {
    id: project.id,
    title: project.title,
    moduleId: project.moduleId,
    state: state?.state,
    stagesPassed: stagesPassedOf(project, state),
    stagesTotal: project.stages.length,
    lastRunAt: state?.lastRun?.at,
  };
}

/* ---------------------------------------------------------------- local days */

function parseStamp(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The calendar's window: `weeks` whole week columns, the last one holding `end` (today), so the
 * first day is a Monday and the grid has no partial first column.
 */
export function activityWindow(end: Date, weeks: number): { start: Date; end: Date } {
  return { start: addLocalDays(startOfWeek(end), -7 * (weeks - 1)), end: startOfLocalDay(end) };
}
