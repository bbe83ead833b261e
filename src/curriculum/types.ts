/**
 * The course as the extension sees it after loading `curriculum/`.
 * Every entity carries its stable `id`; progress and answers are keyed by those ids,
 * never by titles or file names.
 */

export interface Prompt {
  readonly id: string;
  readonly text: string;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  /** POSIX path relative to the curriculum root, e.g. `modules/os-networking/lessons/01-processes.md`. */
  readonly path: string;
  readonly minutes?: number;
  readonly moduleId: string;
}

export interface Toolchain {
  readonly command: string;
  readonly versionArgs: readonly string[];
  readonly name: string;
  readonly installUrl: string;
}

export interface Stage {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly hints: readonly string[];
  /** Files (relative to the project folder, present in solution/) the learner writes in this stage. */
  readonly files: readonly string[];
}

export type ProjectLanguage = 'rust' | 'elixir' | 'polyglot' | 'yaml';

export interface Project {
  readonly id: string;
  readonly title: string;
  readonly moduleId: string;
  readonly language: ProjectLanguage;
  readonly summary: string;
  readonly toolchain: readonly Toolchain[];
  readonly testCommand: string;
  readonly stages: readonly Stage[];
  readonly prompts: readonly Prompt[];
  /** Folder of the project relative to the curriculum root, e.g. `projects/network-scanner`. */
  readonly dir: string;
}

export interface Module {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly summary?: string;
  readonly keyConcepts: readonly string[];
  readonly lessons: readonly Lesson[];
  readonly projects: readonly Project[];
  readonly prompts: readonly Prompt[];
  readonly monthId: string;
}

export interface Month {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly summary?: string;
  readonly modules: readonly Module[];
}

export interface Course {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  readonly months: readonly Month[];
}

export type Severity = 'error' | 'warning';

/** One problem found in the curriculum, located by file and 1-based line. */
export interface Problem {
  /** POSIX path relative to the curriculum root. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly severity: Severity;
}

export function formatProblem(p: Problem, rootLabel = 'curriculum'): string {
  const where = rootLabel ? `${rootLabel}/${p.file}` : p.file;
  return `${where}:${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}
