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

/**
 * Creates the renderer and renders one lesson into nothing, so the first lesson the learner opens
 * does not pay for loading markdown-it and highlight.js or for compiling their grammars (about
 * 200 ms in a busy host). Called when the course view is shown, the moment before a lesson is
 * usually opened.
 */
export async function warmUpRenderer(markdown: string, docPath: string): Promise<void> {
  const r = await lessonRenderer();
  r.render(markdown, { docPath, lessonIdForPath: () => undefined, imageSrc: () => undefined });
}
