/** Webview panel types, as contributed (onWebviewPanel activation) and serialized across reloads. */
export const LESSON_VIEW_TYPE = 'backendCourse.lesson';
export const REFLECTION_VIEW_TYPE = 'backendCourse.reflection';
export const DASHBOARD_VIEW_TYPE = 'backendCourse.dashboard';
