import type { LessonRenderer } from './markdown';

let renderer: Promise<LessonRenderer> | undefined;

/**
 * The one lesson renderer, created on first use. Importing it lazily keeps markdown-it,
 * highlight.js and ajv out of activation: the bundle evaluates them only when the first lesson
 * or reflection is shown.
 */
export function lessonRenderer(): Promise<LessonRenderer> {
  renderer ??= import('./markdown').then((m) => new m.LessonRenderer());
  return renderer;
}
