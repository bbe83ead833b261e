/**
 * Every quiz in the course, found in the lessons' Markdown, so a review session can ask a
 * question without opening its lesson. Pure: files are read through the function it is given.
 */
import type { CourseIndex } from '../curriculum/courseIndex';
import { parseQuiz, type Quiz } from '../render/quiz';

export interface QuizCatalogEntry {
  readonly quiz: Quiz;
  readonly lessonId: string;
  readonly moduleId: string;
  /** The lesson's title, for telling the learner where a question comes from. */
  readonly lessonTitle: string;
}

/** Quizzes by quiz id. */
export type QuizCatalog = Map<string, QuizCatalogEntry>;

const FENCE_OPEN = /^\s*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^\s*(`{3,}|~{3,})[ \t]*$/;

/**
 * The quizzes of one lesson, in order: the bodies of fenced code blocks whose info string
 * starts with `quiz`, read by the same parser as the lesson view. Blocks that do not parse
 * are skipped (the curriculum validator reports them).
 *
 * A line scanner rather than a Markdown parser, because only fences matter here. It follows
 * CommonMark's fence rules: ``` or ~~~ of three or more, closed by the same character at least
 * as many times, a backtick fence's info string has no backtick, and an unclosed fence runs to
 * the end of the document. Nothing inside a fence opens another, so a quiz shown as an example
 * inside a longer fence is not taken for a quiz. Indentation is not limited, so fences inside
 * list items are found (a four-space indented code block that contains a fence line would be
 * misread, which lessons do not do).
 */
export function quizzesInMarkdown(markdown: string): Quiz[] {
  const quizzes: Quiz[] = [];
  let open: { marker: string; isQuiz: boolean; body: string[] } | undefined;
  const finish = () => {
    if (!open?.isQuiz) return;
    const parsed = parseQuiz(open.body.join('\n'));
    if (parsed.ok) quizzes.push(parsed.quiz);
  };
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (open) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1][0] === open.marker[0] && close[1].length >= open.marker.length) {
        finish();
        open = undefined;
      } else {
        open.body.push(line);
      }
      continue;
    }
    const start = FENCE_OPEN.exec(line);
    if (!start) continue;
    const [, marker, info] = start;
    if (marker[0] === '`' && info.includes('`')) continue; // inline code such as ```x```, not a fence
    open = { marker, isQuiz: info.trim().split(/\s+/)[0] === 'quiz', body: [] };
  }
  finish();
  return quizzes;
}

/**
 * Reads every lesson of the course (all at once) and collects its quizzes in course order.
 * A lesson that cannot be read is left out; when two lessons use the same quiz id, the first
 * one in course order keeps it (the validator reports the duplicate).
 */
export async function buildQuizCatalog(index: CourseIndex, readText: (path: string) => Promise<string | undefined>): Promise<QuizCatalog> {
  const texts = await Promise.all(index.lessons.map((lesson) => readText(lesson.path).catch(() => undefined)));
  const catalog: QuizCatalog = new Map();
  index.lessons.forEach((lesson, i) => {
    const text = texts[i];
    if (text === undefined) return;
    for (const quiz of quizzesInMarkdown(text)) {
      if (!catalog.has(quiz.id)) catalog.set(quiz.id, { quiz, lessonId: lesson.id, moduleId: lesson.moduleId, lessonTitle: lesson.title });
    }
  });
  return catalog;
}
