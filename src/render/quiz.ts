import { schemaValidators } from '../curriculum/schemas';

export interface QuizChoice {
  readonly text: string;
  readonly correct: boolean;
  readonly explanation: string;
}

export interface Quiz {
  readonly id: string;
  readonly question: string;
  readonly choices: readonly QuizChoice[];
  /** Index of the one correct choice. */
  readonly answer: number;
}

export type QuizParse = { ok: true; quiz: Quiz } | { ok: false; message: string };

/** Reads the JSON body of a ```quiz fence, with a message an author can act on when it is wrong. */
export function parseQuiz(body: string): QuizParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, message: `quiz block is not valid JSON (${(e as Error).message})` };
  }
  const validate = schemaValidators().quiz;
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : 'quiz';
    const detail = first?.keyword === 'additionalProperties'
      ? `unknown property "${(first.params as { additionalProperty: string }).additionalProperty}"`
      : first?.keyword === 'required'
        ? `missing required property "${(first.params as { missingProperty: string }).missingProperty}"`
        : first?.message ?? 'is invalid';
    return { ok: false, message: `quiz block: ${where}: ${detail}` };
  }
  const raw = value as { id: string; question: string; choices: { text: string; correct?: boolean; explanation: string }[] };
  const correct = raw.choices.flatMap((c, i) => (c.correct ? [i] : []));
  if (correct.length !== 1) {
    return { ok: false, message: `quiz "${raw.id}": exactly one choice must have "correct": true (found ${correct.length})` };
  }
  return {
    ok: true,
    quiz: {
      id: raw.id,
      question: raw.question,
      choices: raw.choices.map((c) => ({ text: c.text, correct: c.correct === true, explanation: c.explanation })),
      answer: correct[0],
    },
  };
}
