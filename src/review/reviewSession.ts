/**
 * A short spaced-review session: the due questions, one quick pick each. Every answer is
 * scheduled and saved before the next question appears, so stopping at any point loses nothing.
 */
import * as vscode from 'vscode';
import type { Quiz } from '../render/quiz';
import type { QuizCatalog, QuizCatalogEntry } from './quizCatalog';
import type { ReviewState } from './reviewState';
import { describeDay } from './dueDay';
import { dueCards, nextDueDay, review } from './scheduler';

/** At most this many questions per session: enough to consolidate, short enough to finish. */
export const SESSION_SIZE = 10;

export interface ReviewSessionDeps {
  catalog(): Promise<QuizCatalog>;
  getState(): ReviewState;
  saveState(state: ReviewState): Promise<void>;
  now(): Date;
  openLesson(lessonId: string): Thenable<unknown>;
}

export interface ReviewSessionResult {
  /** Questions answered (and saved). */
  readonly answered: number;
  readonly right: number;
  /** How the session ended. */
  readonly ended: 'nothingDue' | 'finished' | 'stopped' | 'openedLesson';
}

export async function runReviewSession(deps: ReviewSessionDeps): Promise<ReviewSessionResult> {
  const catalog = await deps.catalog();
  const inCourse = (quizId: string) => catalog.has(quizId);
  // Cards whose quiz left the course are neither asked nor counted.
  const queue = dueCards(deps.getState(), deps.now()).filter((d) => inCourse(d.quizId)).slice(0, SESSION_SIZE);
  if (queue.length === 0) {
    void vscode.window.showInformationMessage(nothingDueMessage(deps.getState(), inCourse, deps.now()));
    return { answered: 0, right: 0, ended: 'nothingDue' };
  }

  let answered = 0;
  let right = 0;
  for (const [i, { quizId }] of queue.entries()) {
    const entry = catalog.get(quizId) as QuizCatalogEntry;
    const pick = await askQuestion(entry, vscode.l10n.t('Review {0} of {1} · {2}', i + 1, queue.length, entry.lessonTitle || entry.moduleId));
    if (pick === undefined) {
      if (answered > 0) void vscode.window.showInformationMessage(vscode.l10n.t('Review stopped: {0} right of {1}. Your answers are saved. {2}', right, answered, remainingMessage(deps, inCourse)));
      return { answered, right, ended: 'stopped' };
    }
    if (pick === 'lesson') {
      await deps.openLesson(entry.lessonId);
      return { answered, right, ended: 'openedLesson' };
    }
    const correct = pick === entry.quiz.answer;
    // Read the state afresh: the learner may have answered quizzes in a lesson meanwhile.
    const state = deps.getState();
    const card = state.cards[quizId];
    if (card) {
      try {
        await deps.saveState({ ...state, cards: { ...state.cards, [quizId]: review(card, correct, deps.now()) } });
      } catch (e) {
        throw new Error(vscode.l10n.t('Your review answer could not be saved ({0}). Answers before it are saved.', (e as Error).message));
      }
    }
    answered++;
    if (correct) right++;
    void vscode.window.showInformationMessage(verdictMessage(entry.quiz, pick));
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Review done: {0} right of {1}. {2}', right, answered, remainingMessage(deps, inCourse)));
  return { answered, right, ended: 'finished' };
}

type ReviewItem = vscode.QuickPickItem & { action?: { choice: number } | 'lesson' };

/** Shows one question; resolves to the chosen index, 'lesson', or undefined when dismissed. */
function askQuestion(entry: QuizCatalogEntry, title: string): Promise<number | 'lesson' | undefined> {
  const { quiz } = entry;
  const question = plainText(quiz.question);
  const fits = question.length <= LINE_WIDTH;
  const items: ReviewItem[] = [];
  if (!fits) {
    // Quick pick text does not wrap, so a long question is shown as rows the learner can read.
    for (const line of wrap(question, LINE_WIDTH)) items.push({ label: escapeIcons(line), alwaysShow: true });
    items.push({ label: vscode.l10n.t('Your answer'), kind: vscode.QuickPickItemKind.Separator });
  }
  const choices = quiz.choices.map((c, i): ReviewItem => {
    const [first, ...rest] = wrap(`${letter(i)}. ${plainText(c.text)}`, LINE_WIDTH);
    return { label: escapeIcons(first), detail: rest.length ? escapeIcons(rest.join(' ')) : undefined, alwaysShow: true, action: { choice: i } };
  });
  items.push(...choices);
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    label: `$(book) ${vscode.l10n.t('Open the lesson: {0}', escapeIcons(entry.lessonTitle))}`,
    description: vscode.l10n.t('ends the review; this question stays due'),
    alwaysShow: true,
    action: 'lesson',
  });

  const qp = vscode.window.createQuickPick<ReviewItem>();
  qp.title = title;
  qp.placeholder = fits ? question : vscode.l10n.t('Read the question, then choose an answer (Esc stops; answers so far are saved)');
  qp.items = items;
  qp.activeItems = [choices[0]];
  qp.matchOnDetail = true;
  // A click on the verdict notification must not end the session.
  qp.ignoreFocusOut = true;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: number | 'lesson' | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const action = (qp.selectedItems[0] ?? qp.activeItems[0])?.action;
      if (action === 'lesson') finish('lesson');
      else if (action) finish(action.choice);
      // Accepting a row of the question does nothing: the learner keeps choosing.
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

function verdictMessage(quiz: Quiz, choice: number): string {
  const chosen = quiz.choices[choice];
  const answer = quiz.choices[quiz.answer];
  if (choice === quiz.answer) return vscode.l10n.t('Right: {0}. {1}', plainText(answer.text), plainText(answer.explanation));
  return vscode.l10n.t('Not quite. {0} The answer is {1}: {2}. {3}', plainText(chosen.explanation), letter(quiz.answer), plainText(answer.text), plainText(answer.explanation));
}

function remainingMessage(deps: ReviewSessionDeps, inCourse: (quizId: string) => boolean): string {
  const now = deps.now();
  const state = deps.getState();
  const stillDue = dueCards(state, now).filter((d) => inCourse(d.quizId)).length;
  if (stillDue > 0) return stillDue === 1 ? vscode.l10n.t('1 more question is due now.') : vscode.l10n.t('{0} more questions are due now.', stillDue);
  const next = nextDueDay(state, inCourse);
  return next ? vscode.l10n.t('The next question is due {0}.', describeDay(next, now)) : '';
}

function nothingDueMessage(state: ReviewState, inCourse: (quizId: string) => boolean, now: Date): string {
  const next = nextDueDay(state, inCourse);
  if (!next) return vscode.l10n.t('Nothing to review yet. Quiz questions you answer in lessons come back here for review a day later.');
  return vscode.l10n.t('Nothing to review right now. The next question is due {0}.', describeDay(next, now));
}

const LINE_WIDTH = 80;

function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

/** Quiz text is inline Markdown; quick picks and notifications show plain text. */
function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Quick pick labels turn `$(name)` into icons; shell snippets in quiz text must stay text. */
function escapeIcons(text: string): string {
  return text.replace(/\$\([A-Za-z0-9-]+(?:~[A-Za-z0-9-]+)?\)/g, '\\$&');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
