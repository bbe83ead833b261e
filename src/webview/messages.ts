/** Messages the lesson webview (media/lesson.js) posts to the extension. */
export type LessonMessage =
  | { type: 'ready' }
  | { type: 'openLesson'; lessonId: string; newPanel?: boolean }
  | { type: 'openExternal'; href: string }
  | { type: 'setComplete'; complete: boolean }
  | { type: 'quizAnswer'; quizId: string; choice: number }
  | { type: 'copy'; text: string }
  | { type: 'openReflection'; ownerId: string };

/** Messages the reflection webview (media/reflection.js) posts to the extension. */
export type ReflectionMessage = { type: 'answer'; promptId: string; text: string } | { type: 'openLesson'; lessonId: string };

/** What a lesson panel shows; kept in the webview state so a reload restores it. */
export type LessonDoc = { kind: 'lesson'; id: string } | { kind: 'brief'; id: string };

export interface LessonPanelState {
  readonly doc: LessonDoc;
  readonly scrollY?: number;
}

export interface ReflectionPanelState {
  readonly ownerId: string;
  /** Text typed but not yet confirmed by the extension, with the saved answer it was typed on. */
  readonly drafts?: Record<string, { text: string; base: string }>;
}

export function isLessonMessage(m: unknown): m is LessonMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
