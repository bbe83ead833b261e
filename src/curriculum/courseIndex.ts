import type { Course, Lesson, Module, Month, Project } from './types';

/** Lookups over a loaded course, built once per load. */
export class CourseIndex {
  readonly lessons: readonly Lesson[];
  private readonly lessonById = new Map<string, Lesson>();
  private readonly lessonByPathMap = new Map<string, string>();
  private readonly moduleById = new Map<string, Module>();
  private readonly monthById = new Map<string, Month>();
  private readonly projectById = new Map<string, Project>();
  private readonly promptIds = new Set<string>();

  constructor(readonly course: Course) {
    const lessons: Lesson[] = [];
    for (const month of course.months) {
      this.monthById.set(month.id, month);
      for (const mod of month.modules) {
        this.moduleById.set(mod.id, mod);
        for (const l of mod.lessons) {
          lessons.push(l);
          this.lessonById.set(l.id, l);
          this.lessonByPathMap.set(l.path, l.id);
        }
        for (const p of mod.prompts) this.promptIds.add(p.id);
        for (const p of mod.projects) {
          this.projectById.set(p.id, p);
          for (const q of p.prompts) this.promptIds.add(q.id);
        }
      }
    }
    this.lessons = lessons;
  }

  lesson(id: string): Lesson | undefined {
    return this.lessonById.get(id);
  }

  lessonIdForPath(path: string): string | undefined {
    return this.lessonByPathMap.get(path);
  }

  module(id: string): Module | undefined {
    return this.moduleById.get(id);
  }

  month(id: string): Month | undefined {
    return this.monthById.get(id);
  }

  project(id: string): Project | undefined {
    return this.projectById.get(id);
  }

  /** True for the id of any module or project reflection prompt. */
  hasPrompt(id: string): boolean {
    return this.promptIds.has(id);
  }

  get projects(): Project[] {
    return [...this.projectById.values()];
  }

  /** The lessons before and after this one in course order (across module boundaries). */
  neighbours(lessonId: string): { previous?: Lesson; next?: Lesson } {
    const i = this.lessons.findIndex((l) => l.id === lessonId);
    if (i < 0) return {};
    return { previous: this.lessons[i - 1], next: this.lessons[i + 1] };
  }

  /** Position of a lesson within its module, 1-based. */
  position(lessonId: string): { index: number; of: number } | undefined {
    const lesson = this.lesson(lessonId);
    const mod = lesson && this.module(lesson.moduleId);
    if (!lesson || !mod) return undefined;
    return { index: mod.lessons.indexOf(lesson) + 1, of: mod.lessons.length };
  }
}
