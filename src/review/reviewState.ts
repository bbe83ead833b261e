/**
 * The learner's review cards, as stored next to their progress. Like the progress record it
 * carries a version; a reader refuses a newer one rather than guessing, and reports anything
 * it cannot use as corrupt, with a reason, instead of throwing.
 */
import * as l10n from '@vscode/l10n';
import { describeValue, isDateTime, isPlainObject } from '../progress/jsonValues';
import type { Progress } from '../progress/schema';
import { enrolCard, FIRST_BOX, LAST_BOX, type Card } from './scheduler';

export const REVIEW_VERSION = 1;

export interface ReviewState {
  version: 1;
  /** Cards by quiz id. */
  cards: Record<string, Card>;
}

export function emptyReviewState(): ReviewState {
  return { version: 1, cards: {} };
}

export type ReviewReadOutcome =
  | { kind: 'empty' }
  | { kind: 'ok'; state: ReviewState }
  | { kind: 'newer'; version: number }
  | { kind: 'corrupt'; reason: string };

/** Interprets whatever is stored under the review key, without ever throwing. */
export function readReviewState(stored: unknown): ReviewReadOutcome {
  if (stored === undefined || stored === null) return { kind: 'empty' };
  if (!isPlainObject(stored)) return { kind: 'corrupt', reason: l10n.t('expected an object, found {0}', describeValue(stored)) };
  const version = stored.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { kind: 'corrupt', reason: l10n.t('missing or invalid "version" ({0})', String(JSON.stringify(version))) };
  if (version > REVIEW_VERSION) return { kind: 'newer', version };
  const rawCards = stored.cards ?? {}; // tolerated: a record with no cards yet may omit the map
  if (!isPlainObject(rawCards)) return { kind: 'corrupt', reason: l10n.t('"cards" must be an object, found {0}', describeValue(rawCards)) };
  const cards: Record<string, Card> = {};
  for (const [quizId, raw] of Object.entries(rawCards)) {
    const card = readCard(raw);
    if (typeof card === 'string') return { kind: 'corrupt', reason: l10n.t('card "{0}": {1}', quizId, card) };
    cards[quizId] = card;
  }
  return { kind: 'ok', state: { version: 1, cards } };
}

/** A valid card (a fresh object), or what is wrong with it. */
function readCard(raw: unknown): Card | string {
  if (!isPlainObject(raw)) return l10n.t('expected an object, found {0}', describeValue(raw));
  const { box, due, lastReviewedAt, reviews, lapses } = raw;
  if (typeof box !== 'number' || !Number.isInteger(box) || box < FIRST_BOX || box > LAST_BOX) {
    return l10n.t('{0} must be a whole number from {1} to {2} (found {3})', '"box"', FIRST_BOX, LAST_BOX, found(box));
  }
  if (!isDateTime(due)) return l10n.t('{0} must be a date-time string (found {1})', '"due"', found(due));
  if (!isDateTime(lastReviewedAt)) return l10n.t('{0} must be a date-time string (found {1})', '"lastReviewedAt"', found(lastReviewedAt));
  if (!isCount(reviews)) return l10n.t('{0} must be a whole number of 0 or more (found {1})', '"reviews"', found(reviews));
  if (!isCount(lapses)) return l10n.t('{0} must be a whole number of 0 or more (found {1})', '"lapses"', found(lapses));
  return { box, due, lastReviewedAt, reviews, lapses };
}

/**
 * Enrols every quiz the learner has answered that has no card yet, scheduled from when it was
 * answered and whether the answer was right. Existing cards are left as they are. Returns a
 * new state; `now` stands in for an answer time that cannot be read.
 */
export function syncWithProgress(state: ReviewState, progress: Pick<Progress, 'quizzes'>, now: Date): ReviewState {
  const cards: Record<string, Card> = { ...state.cards };
  for (const [quizId, answer] of Object.entries(progress.quizzes)) {
    if (Object.prototype.hasOwnProperty.call(cards, quizId)) continue;
    const answeredAt = new Date(answer.answeredAt);
    cards[quizId] = enrolCard(Number.isNaN(answeredAt.getTime()) ? now : answeredAt, answer.correct === true);
  }
  return { ...state, cards };
}

/** A stored value as JSON, for a message (`undefined` when there is none). */
function found(value: unknown): string {
  return String(JSON.stringify(value));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
