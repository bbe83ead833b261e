/**
 * The file a learner exports their data to and imports it from: progress and review cards in
 * one versioned JSON document. Pure: reading, writing and asking the learner happen elsewhere.
 *
 * Import never overwrites blindly. `parseImport` rejects a file it cannot fully trust, with a
 * reason naming the field, and `mergeImport` combines it with what is already here by the rules
 * below, reporting every answer where one text had to give way to another.
 */
import * as l10n from '@vscode/l10n';
import { readReviewState, type ReviewState } from '../review/reviewState';
import { describeValue, isDateTime, isPlainObject } from './jsonValues';
import type { Card } from '../review/scheduler';
import { readProgress, type ItemRef, type Progress, type ProjectProgress } from './schema';

export const EXPORT_FORMAT = 'mastering-backend-progress';
export const EXPORT_VERSION = 1;

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  extensionVersion: string;
  progress: Progress;
  review: ReviewState;
}

/** What an accepted import file holds. */
export interface ImportData {
  exportedAt: string;
  extensionVersion: string;
  progress: Progress;
  review: ReviewState;
}

export type ImportParse = { ok: true; data: ImportData } | { ok: false; reason: string };

export function buildExport(progress: Progress, review: ReviewState, now: Date, extensionVersion: string): string {
  const file: ExportFile = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), extensionVersion, progress, review };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads an export file. Progress goes through `readProgress` (so older progress versions are
 * migrated) and then a stricter check of every timestamp and field the merge relies on; review
 * cards go through `readReviewState`. A file without a `review` section imports no cards.
 */
export function parseImport(text: string): ImportParse {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(l10n.t('the file is not valid JSON ({0})', (e as Error).message));
  }
  if (!isPlainObject(value)) return fail(l10n.t('the file must hold a JSON object, found {0}', describeValue(value)));
  if (value.format !== EXPORT_FORMAT) {
    return fail(l10n.t('"format" is {0} instead of "{1}": this is not a Mastering Backend Engineering export', found(value.format), EXPORT_FORMAT));
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fail(l10n.t('"version" must be a whole number of 1 or more (found {0})', found(version)));
  if (version > EXPORT_VERSION) {
    return fail(l10n.t('"version" is {0}: the file was exported by a newer version of the extension (this one reads version {1}); update the extension and import it again', version, EXPORT_VERSION));
  }
  if (!isDateTime(value.exportedAt)) return fail(l10n.t('{0} must be a date-time string (found {1})', '"exportedAt"', found(value.exportedAt)));
  if (typeof value.extensionVersion !== 'string') return fail(l10n.t('{0} must be a string (found {1})', '"extensionVersion"', found(value.extensionVersion)));

  if (value.progress === undefined || value.progress === null) return fail(l10n.t('"progress" is missing'));
  // readProgress fills in missing maps on the object it is given; give it a copy.
  const progressRead = readProgress(structuredClone(value.progress));
  if (progressRead.kind === 'newer') return fail(l10n.t('"progress" was written by a newer version of the extension (progress schema {0}); update the extension and import it again', progressRead.version));
  if (progressRead.kind !== 'ok') return fail(l10n.t('{0}: {1}', '"progress"', progressRead.kind === 'corrupt' ? progressRead.reason : l10n.t('is empty')));
  const progressProblem = progressFieldProblem(progressRead.progress);
  if (progressProblem) return fail(progressProblem);

  const reviewRead = readReviewState(value.review);
  if (reviewRead.kind === 'newer') return fail(l10n.t('"review" was written by a newer version of the extension (review schema {0}); update the extension and import it again', reviewRead.version));
  if (reviewRead.kind === 'corrupt') return fail(l10n.t('{0}: {1}', '"review"', reviewRead.reason));
  const review = reviewRead.kind === 'ok' ? reviewRead.state : { version: 1 as const, cards: {} };

  return { ok: true, data: { exportedAt: value.exportedAt, extensionVersion: value.extensionVersion, progress: progressRead.progress, review } };
}

/**
 * The fields `readProgress` accepts without looking at but the merge compares: every entry's
 * timestamp must be a date-time, or an entry could win or lose a merge by accident.
 */
function progressFieldProblem(p: Progress): string | undefined {
  const at = (...path: string[]) => `"progress.${path.join('.')}"`;
  const needDate = (value: unknown, ...path: string[]) => (isDateTime(value) ? undefined : l10n.t('{0} must be a date-time string (found {1})', at(...path), found(value)));
  const needObject = (...path: string[]) => l10n.t('{0} must be an object', at(...path));
  const needCount = (value: unknown, ...path: string[]) => l10n.t('{0} must be a whole number of 0 or more (found {1})', at(...path), found(value));
  if (p.startedAt !== undefined) {
    const problem = needDate(p.startedAt, 'startedAt');
    if (problem) return problem;
  }
  for (const [id, lesson] of Object.entries(p.lessons)) {
    if (!isPlainObject(lesson)) return needObject('lessons', id);
    const problem = needDate(lesson.completedAt, 'lessons', id, 'completedAt');
    if (problem) return problem;
  }
  for (const [id, answer] of Object.entries(p.answers)) {
    const problem = needDate(answer.updatedAt, 'answers', id, 'updatedAt');
    if (problem) return problem;
  }
  for (const [id, quiz] of Object.entries(p.quizzes)) {
    if (!isPlainObject(quiz)) return needObject('quizzes', id);
    if (typeof quiz.choice !== 'number' || !Number.isInteger(quiz.choice) || quiz.choice < 0) return needCount(quiz.choice, 'quizzes', id, 'choice');
    if (typeof quiz.correct !== 'boolean') return l10n.t('{0} must be true or false (found {1})', at('quizzes', id, 'correct'), found(quiz.correct));
    const problem = needDate(quiz.answeredAt, 'quizzes', id, 'answeredAt');
    if (problem) return problem;
  }
  for (const [id, project] of Object.entries(p.projects)) {
    if (!isPlainObject(project)) return needObject('projects', id);
    if (!['scaffolded', 'failing', 'passing'].includes(project.state as string)) {
      return l10n.t('{0} must be "scaffolded", "failing" or "passing" (found {1})', at('projects', id, 'state'), found(project.state));
    }
    const problem = needDate(project.updatedAt, 'projects', id, 'updatedAt') ?? (project.passedAt === undefined ? undefined : needDate(project.passedAt, 'projects', id, 'passedAt'));
    if (problem) return problem;
    const hints = (project as { hintsShown?: unknown }).hintsShown;
    if (hints !== undefined) {
      if (!isPlainObject(hints)) return needObject('projects', id, 'hintsShown');
      for (const [stage, n] of Object.entries(hints)) {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return needCount(n, 'projects', id, 'hintsShown', stage);
      }
    }
    const skipped = (project as { stagesSkipped?: unknown }).stagesSkipped;
    if (skipped !== undefined && !(Array.isArray(skipped) && skipped.every((s) => typeof s === 'string'))) {
      return l10n.t('{0} must be a list of stage ids (found {1})', at('projects', id, 'stagesSkipped'), found(skipped));
    }
  }
  if (p.lastOpened !== undefined) {
    const last = p.lastOpened as unknown;
    if (!isPlainObject(last)) return needObject('lastOpened');
    if (!['lesson', 'reflection', 'project'].includes(last.kind as string)) {
      return l10n.t('{0} must be "lesson", "reflection" or "project" (found {1})', at('lastOpened', 'kind'), found(last.kind));
    }
    if (typeof last.id !== 'string') return l10n.t('{0} must be a string (found {1})', at('lastOpened', 'id'), found(last.id));
    const problem = needDate(last.at, 'lastOpened', 'at');
    if (problem) return problem;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Merging

/** Per kind of entry, how the entries of the imported file were used. */
export interface MergeCounts {
  /** Only in the file: now here too. */
  added: number;
  /** In both: the result differs from what was here (the file's entry won, or parts of it were combined in). */
  updated: number;
  /** In both: what was here stays as it was (it was newer, or the same). */
  kept: number;
}

export interface AnswerVersion {
  readonly text: string;
  readonly updatedAt: string;
  /** Which side it came from: this machine, or the imported file. */
  readonly from: 'current' | 'incoming';
}

/** Two different texts for one reflection prompt; the older one was not kept, so the UI shows it. */
export interface AnswerConflict {
  readonly promptId: string;
  readonly kept: AnswerVersion;
  readonly discarded: AnswerVersion;
}

export interface MergeSummary {
  lessons: MergeCounts;
  answers: MergeCounts;
  quizzes: MergeCounts;
  projects: MergeCounts;
  cards: MergeCounts;
  conflicts: AnswerConflict[];
}

export interface LearnerData {
  progress: Progress;
  review: ReviewState;
}

/**
 * Combines the learner's data with an imported file. Never mutates its inputs; the result
 * shares no objects with them. Rules, entry by entry (ties keep what is already here):
 * - lessons: union; a lesson complete on both sides keeps the earliest `completedAt`.
 * - answers: the newer `updatedAt` wins, except that a blank text never replaces a written
 *   one, and an identical text keeps the entry already here. When both sides have different
 *   non-blank texts, the losing text is listed in `summary.conflicts`.
 * - quizzes: the newer `answeredAt` wins.
 * - projects: the entry with the newer `updatedAt` wins, with all its fields (including ones
 *   this version does not know); `passedAt` becomes the earliest of both sides, and
 *   `hintsShown` takes, per stage, the larger count of both sides.
 * - review cards: the card with the later `lastReviewedAt` wins.
 * - `startedAt`: the earliest; `lastOpened`: the one with the newer `at`.
 */
export function mergeImport(current: LearnerData, incoming: LearnerData): LearnerData & { summary: MergeSummary } {
  const conflicts: AnswerConflict[] = [];
  const lessons = mergeMaps(current.progress.lessons, incoming.progress.lessons, (here, there) => (time(there.completedAt) < time(here.completedAt) ? there : here));
  const answers = mergeMaps(current.progress.answers, incoming.progress.answers, (here, there, promptId) => {
    const [winner, loser] = pickAnswer(here, there);
    if (!isBlank(winner.entry.text) && !isBlank(loser.entry.text) && winner.entry.text !== loser.entry.text) {
      conflicts.push({ promptId, kept: { text: winner.entry.text, updatedAt: winner.entry.updatedAt, from: winner.from }, discarded: { text: loser.entry.text, updatedAt: loser.entry.updatedAt, from: loser.from } });
    }
    return winner.entry;
  });
  const quizzes = mergeMaps(current.progress.quizzes, incoming.progress.quizzes, (here, there) => (time(there.answeredAt) > time(here.answeredAt) ? there : here));
  const projects = mergeMaps(current.progress.projects, incoming.progress.projects, mergeProject);
  const cards = mergeMaps<Card>(current.review.cards, incoming.review.cards, (here, there) => (time(there.lastReviewedAt) > time(here.lastReviewedAt) ? there : here));

  const progress: Progress = {
    ...structuredClone(current.progress),
    version: 1,
    lessons: lessons.merged,
    answers: answers.merged,
    quizzes: quizzes.merged,
    projects: projects.merged,
  };
  delete progress.startedAt;
  delete progress.lastOpened;
  const startedAt = earliest(current.progress.startedAt, incoming.progress.startedAt);
  if (startedAt !== undefined) progress.startedAt = startedAt;
  const lastOpened = newerLastOpened(current.progress.lastOpened, incoming.progress.lastOpened);
  if (lastOpened !== undefined) progress.lastOpened = structuredClone(lastOpened);

  return {
    progress,
    review: { ...structuredClone(current.review), version: 1, cards: cards.merged },
    summary: { lessons: lessons.counts, answers: answers.counts, quizzes: quizzes.counts, projects: projects.counts, cards: cards.counts, conflicts },
  };
}

/** Merges two maps by key with `resolve` for keys on both sides, counting what happened. */
function mergeMaps<T>(here: Readonly<Record<string, T>>, there: Readonly<Record<string, T>>, resolve: (here: T, there: T, key: string) => T): { merged: Record<string, T>; counts: MergeCounts } {
  const merged: Record<string, T> = structuredClone({ ...here });
  const counts: MergeCounts = { added: 0, updated: 0, kept: 0 };
  for (const [key, theirs] of Object.entries(there)) {
    if (!Object.prototype.hasOwnProperty.call(here, key)) {
      merged[key] = structuredClone(theirs);
      counts.added++;
      continue;
    }
    const result = structuredClone(resolve(here[key], theirs, key));
    if (sameJson(result, here[key])) {
      counts.kept++;
    } else {
      merged[key] = result;
      counts.updated++;
    }
  }
  return { merged, counts };
}

type Answer = Progress['answers'][string];

function pickAnswer(here: Answer, there: Answer): [{ entry: Answer; from: 'current' | 'incoming' }, { entry: Answer; from: 'current' | 'incoming' }] {
  const mine = { entry: here, from: 'current' as const };
  const theirs = { entry: there, from: 'incoming' as const };
  // The same words on both sides: nothing to update, so this machine's entry stays.
  if (here.text === there.text) return [mine, theirs];
  // A blank answer means "nothing written"; letting it win would drop the learner's words.
  if (isBlank(here.text) !== isBlank(there.text)) return isBlank(here.text) ? [theirs, mine] : [mine, theirs];
  return time(there.updatedAt) > time(here.updatedAt) ? [theirs, mine] : [mine, theirs];
}

/** The newer entry, whole, with the earliest pass and the most hints seen on either side. */
function mergeProject(here: ProjectProgress, there: ProjectProgress): ProjectProgress {
  const winner: ProjectProgress = structuredClone(time(there.updatedAt) > time(here.updatedAt) ? there : here);
  const passedAt = earliest(here.passedAt, there.passedAt);
  if (passedAt !== undefined) winner.passedAt = passedAt;
  const hints = maxPerKey(hintsOf(here), hintsOf(there));
  if (hints !== undefined) (winner as ProjectProgress & { hintsShown?: Record<string, number> }).hintsShown = hints;
  return winner;
}

function hintsOf(p: ProjectProgress): Record<string, number> | undefined {
  const hints = (p as { hintsShown?: unknown }).hintsShown;
  return isPlainObject(hints) ? (hints as Record<string, number>) : undefined;
}

function maxPerKey(a: Record<string, number> | undefined, b: Record<string, number> | undefined): Record<string, number> | undefined {
  if (!a && !b) return undefined;
  const out: Record<string, number> = { ...a };
  for (const [key, n] of Object.entries(b ?? {})) {
    if (typeof n === 'number' && !(typeof out[key] === 'number' && out[key] >= n)) out[key] = n;
  }
  return out;
}

function newerLastOpened(here: (ItemRef & { at: string }) | undefined, there: (ItemRef & { at: string }) | undefined) {
  if (!here) return there;
  if (!there) return here;
  return time(there.at) > time(here.at) ? there : here;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return time(b) < time(a) ? b : a;
}

/** Milliseconds of a timestamp; an unreadable one counts as the oldest possible. */
function time(iso: string | undefined): number {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order does not make two entries different. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
}

/** A value from the file as JSON, for a message (`undefined` when there is none). */
function found(value: unknown): string {
  return String(JSON.stringify(value));
}

function fail(reason: string): ImportParse {
  return { ok: false, reason };
}
