import type { CourseIndex } from '../curriculum/courseIndex';
import type { Module, Month, Project } from '../curriculum/types';
import type { ItemRef, Progress, ProjectProgress } from './schema';

/**
 * What counts toward progress: every lesson, each module's reflection (complete when all of
 * its prompts have an answer), and each project (complete when its tests pass).
 */
export function moduleItems(mod: Module): ItemRef[] {
  return [
    ...mod.lessons.map((l): ItemRef => ({ kind: 'lesson', id: l.id })),
    { kind: 'reflection', id: mod.id },
    ...mod.projects.map((p): ItemRef => ({ kind: 'project', id: p.id })),
  ];
}

export function courseItems(index: CourseIndex): ItemRef[] {
  return index.course.months.flatMap((m) => m.modules.flatMap(moduleItems));
}

export function isComplete(item: ItemRef, progress: Readonly<Progress>, index: CourseIndex): boolean {
  switch (item.kind) {
    case 'lesson':
      return item.id in progress.lessons;
    case 'project':
      return progress.projects[item.id]?.state === 'passing';
    case 'reflection': {
      const prompts = index.module(item.id)?.prompts ?? index.project(item.id)?.prompts ?? [];
      return prompts.length > 0 && prompts.every((p) => (progress.answers[p.id]?.text ?? '').trim() !== '');
    }
  }
}

export interface Count {
  readonly done: number;
  readonly total: number;
}

function count(items: ItemRef[], progress: Readonly<Progress>, index: CourseIndex): Count {
  return { done: items.filter((i) => isComplete(i, progress, index)).length, total: items.length };
}

export const countModule = (mod: Module, p: Readonly<Progress>, index: CourseIndex): Count => count(moduleItems(mod), p, index);
export const countMonth = (month: Month, p: Readonly<Progress>, index: CourseIndex): Count => count(month.modules.flatMap(moduleItems), p, index);
export const countCourse = (p: Readonly<Progress>, index: CourseIndex): Count => count(courseItems(index), p, index);

/**
 * The item "Continue where I left off" opens: the first incomplete item at or after the one
 * last opened, wrapping around, so a learner who jumped ahead keeps going from there.
 */
export function nextItem(progress: Readonly<Progress>, index: CourseIndex): ItemRef | undefined {
  const items = courseItems(index);
  const last = progress.lastOpened;
  const start = last ? Math.max(0, items.findIndex((i) => i.kind === last.kind && i.id === last.id)) : 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[(start + k) % items.length];
    if (!isComplete(item, progress, index)) return item;
  }
  return undefined;
}

/** Hints revealed across a project's stages (for the tree and the dashboard). */
export function hintsUsed(project: Project, shown: Readonly<Record<string, number>> | undefined): number {
  return project.stages.reduce((sum, s) => sum + Math.min(shown?.[s.id] ?? 0, s.hints.length), 0);
}

/**
 * Stages passed as far as progress knows: every stage once the tests pass; otherwise what the
 * last run reported (stages pass in order, from the first), never more than the course has now.
 */
export function stagesPassedOf(project: Project, state: ProjectProgress | undefined): number {
  const total = project.stages.length;
  if (state?.state === 'passing') return total;
  return Math.min(total, Math.max(0, state?.lastRun?.stagesPassed ?? 0));
}
