/**
 * Leitner scheduling for spaced review of quiz questions. Pure: no `vscode`, and the clock is
 * always passed in (`now`), so tests decide what time it is.
 *
 * Day boundaries: a card is due on a calendar day, not at an instant. `due` is stored as the
 * start (00:00) of a day in the local time zone of the machine that scheduled it, and a card
 * counts as due from the start of the local day that contains `due` onwards. So a card due
 * "tomorrow" is due from 00:00 tomorrow until it is reviewed, whatever hour it was answered.
 * Every calculation here uses the local time zone of the running process (Date's local
 * getters), so the extension and its tests agree as long as they run in the same zone; tests
 * pin it with `process.env.TZ`.
 */

import { addLocalDays, calendarDaysBetween, localDayKey, startOfLocalDay } from '../progress/localDays';

/**
 * Days until a card in box N comes back: box 1 returns the next day, and each box after that
 * doubles the wait. A wrong answer sends the card back to box 1. Index 0 is box 1.
 */
export const BOX_INTERVAL_DAYS: readonly number[] = [1, 2, 4, 8, 16];
export const FIRST_BOX = 1;
export const LAST_BOX = BOX_INTERVAL_DAYS.length;

/** One quiz question in review, keyed by quiz id in the review state. */
export interface Card {
  /** Leitner box, FIRST_BOX..LAST_BOX. */
  box: number;
  /** ISO date-time of the start of the local day the card is due. */
  due: string;
  /** ISO date-time of the last answer (the first answer in the lesson, until reviewed). */
  lastReviewedAt: string;
  /** Answers given in review sessions (the first answer in the lesson is not counted). */
  reviews: number;
  /** Times a review answer was wrong, sending the card back to box 1. */
  lapses: number;
}

/** Anything holding cards by quiz id; the review state satisfies it. */
export interface CardDeck {
  readonly cards: Readonly<Record<string, Card>>;
}

export interface DueCard {
  readonly quizId: string;
  readonly card: Card;
}

export interface DayForecast {
  /** The local calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly count: number;
}

export function intervalDays(box: number): number {
  return BOX_INTERVAL_DAYS[clampBox(box) - 1];
}

/**
 * The card for a quiz answered for the first time in a lesson. A right answer comes back
 * tomorrow; a wrong one is due today, so the learner meets it again while it is fresh.
 */
export function enrolCard(now: Date, correct = true): Card {
  return {
    box: FIRST_BOX,
    due: addLocalDays(now, correct ? 1 : 0).toISOString(),
    lastReviewedAt: now.toISOString(),
    reviews: 0,
    lapses: 0,
  };
}

/** The card after answering it in review. Returns a new card. */
export function review(card: Card, correct: boolean, now: Date): Card {
  const box = correct ? Math.min(clampBox(card.box) + 1, LAST_BOX) : FIRST_BOX;
  return {
    box,
    due: addLocalDays(now, intervalDays(box)).toISOString(),
    lastReviewedAt: now.toISOString(),
    reviews: card.reviews + 1,
    lapses: card.lapses + (correct ? 0 : 1),
  };
}

/** The start of the local day on which the card becomes due. */
export function dueDay(card: Card): Date {
  return startOfLocalDay(new Date(card.due));
}

export function isDue(card: Card, now: Date): boolean {
  return dueDay(card).getTime() <= now.getTime();
}

/** Due cards, most overdue first; among cards due the same day, lower boxes (shakier) first. */
export function dueCards(deck: CardDeck, now: Date): DueCard[] {
  return Object.entries(deck.cards)
    .filter(([, card]) => isDue(card, now))
    .map(([quizId, card]) => ({ quizId, card }))
    .sort((a, b) => dueDay(a.card).getTime() - dueDay(b.card).getTime() || a.card.box - b.card.box || compareIds(a.quizId, b.quizId));
}

export function dueCount(deck: CardDeck, now: Date): number {
  let count = 0;
  for (const card of Object.values(deck.cards)) if (isDue(card, now)) count++;
  return count;
}

/**
 * How many cards fall due on each of the next `days` local days, assuming nothing is reviewed
 * meanwhile. Day 0 is today and includes everything already overdue.
 */
export function dueCountsByDay(deck: CardDeck, now: Date, days: number): DayForecast[] {
  const forecast = Array.from({ length: Math.max(0, Math.floor(days)) }, (_, i) => ({ day: localDayKey(addLocalDays(now, i)), count: 0 }));
  for (const card of Object.values(deck.cards)) {
    const offset = Math.max(0, calendarDaysBetween(now, dueDay(card)));
    if (offset < forecast.length) forecast[offset].count++;
  }
  return forecast;
}

/** The earliest day any of the cards accepted by `include` is due, or undefined without cards. */
export function nextDueDay(deck: CardDeck, include: (quizId: string) => boolean = () => true): Date | undefined {
  let earliest: Date | undefined;
  for (const [quizId, card] of Object.entries(deck.cards)) {
    if (!include(quizId)) continue;
    const day = dueDay(card);
    if (!earliest || day.getTime() < earliest.getTime()) earliest = day;
  }
  return earliest;
}

function clampBox(box: number): number {
  return Math.min(Math.max(Math.trunc(box) || FIRST_BOX, FIRST_BOX), LAST_BOX);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
