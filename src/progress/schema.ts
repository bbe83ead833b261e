/**
 * The learner's progress, as stored in `globalState` (and synced by Settings Sync).
 * Everything is keyed by stable curriculum ids. The record carries a schema version; a
 * reader upgrades older versions through `MIGRATIONS` and refuses newer ones (see store.ts).
 */

import * as l10n from '@vscode/l10n';
import { describeValue, isPlainObject } from './jsonValues';

export const PROGRESS_VERSION = 1;

export type ProjectState = 'scaffolded' | 'failing' | 'passing';

export interface ProjectProgress {
  state: ProjectState;
  /** Where the learner scaffolded it (a file-system path or URI string). */
  folder?: string;
  updatedAt: string;
  /** First time the tests passed. */
  passedAt?: string;
  lastRun?: { at: string; exitCode: number; stagesPassed?: number; stagesTotal?: number };
  /** Hints revealed so far, by stage id (an optional addition to version 1: older records have none). */
  hintsShown?: Record<string, number>;
  /**
   * Stage ids whose reference solution Skip Ahead put in place before the learner passed them,
   * and that no reset has taken back since; the tree and the showcase say so (an optional
   * addition to version 1).
   */
  stagesSkipped?: string[];
}

export interface ItemRef {
  kind: 'lesson' | 'reflection' | 'project';
  /** Lesson id, module or project id (for a reflection), or project id. */
  id: string;
}

export interface ProgressV1 {
  version: 1;
  /** Set when the learner starts the course (hides the welcome view). */
  startedAt?: string;
  lessons: Record<string, { completedAt: string }>;
  answers: Record<string, { text: string; updatedAt: string }>;
  quizzes: Record<string, { choice: number; correct: boolean; answeredAt: string }>;
  projects: Record<string, ProjectProgress>;
  lastOpened?: ItemRef & { at: string };
}

export type Progress = ProgressV1;

export function emptyProgress(): Progress {
  return { version: 1, lessons: {}, answers: {}, quizzes: {}, projects: {} };
}

/**
 * Upgrades from version N to N+1. When the schema changes: bump PROGRESS_VERSION, add the
 * new interface, and add the step from the previous version here (with a unit test).
 */
export const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

export type ReadOutcome =
  | { kind: 'empty' }
  | { kind: 'ok'; progress: Progress; migratedFrom?: number }
  | { kind: 'newer'; version: number }
  | { kind: 'corrupt'; reason: string };

/** Interprets whatever is stored under the progress key, without ever throwing. */
export function readProgress(stored: unknown, migrations = MIGRATIONS, current = PROGRESS_VERSION): ReadOutcome {
  if (stored === undefined || stored === null) return { kind: 'empty' };
  if (!isPlainObject(stored)) return { kind: 'corrupt', reason: l10n.t('expected an object, found {0}', describeValue(stored)) };
  let record = stored as Record<string, unknown>;
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { kind: 'corrupt', reason: l10n.t('missing or invalid "version" ({0})', String(JSON.stringify(version))) };
  if (version > current) return { kind: 'newer', version };
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) return { kind: 'corrupt', reason: l10n.t('no migration from version {0} to {1}', v, v + 1) };
    record = { ...step(record), version: v + 1 };
  }
  const problem = shapeProblem(record);
  if (problem) return { kind: 'corrupt', reason: problem };
  return version === current ? { kind: 'ok', progress: record as unknown as Progress } : { kind: 'ok', progress: record as unknown as Progress, migratedFrom: version };
}

function shapeProblem(r: Record<string, unknown>): string | undefined {
  for (const key of ['lessons', 'answers', 'quizzes', 'projects'] as const) {
    const v = r[key];
    if (v === undefined) continue; // tolerated: older writers may omit empty maps
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return l10n.t('{0} must be an object', `"${key}"`);
  }
  const answers = (r.answers ?? {}) as Record<string, unknown>;
  for (const [id, a] of Object.entries(answers)) {
    if (typeof a !== 'object' || a === null || typeof (a as { text?: unknown }).text !== 'string') return l10n.t('answer "{0}" has no text', id);
  }
  r.lessons ??= {};
  r.answers ??= {};
  r.quizzes ??= {};
  r.projects ??= {};
  return undefined;
}
