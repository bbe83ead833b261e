import * as assert from 'assert';
import { CourseIndex } from '../../src/curriculum/courseIndex';
import type { Course, Module } from '../../src/curriculum/types';
import { buildJournal } from '../../src/journal/journal';
import { emptyProgress, type Progress } from '../../src/progress/schema';
import { countCourse, countModule, nextItem } from '../../src/progress/summary';

function mod(id: string, monthId: string, lessons: string[], prompts: string[], projects: string[] = []): Module {
  return {
    id, monthId, number: id === 'm1' ? '1.1' : '1.2', title: `Module ${id}`, keyConcepts: ['x'],
    lessons: lessons.map((l) => ({ id: l, title: `Lesson ${l}`, path: `modules/${id}/lessons/${l}.md`, moduleId: id })),
    prompts: prompts.map((p) => ({ id: p, text: `Prompt ${p}?` })),
    projects: projects.map((p) => ({ id: p, title: `Project ${p}`, moduleId: id, language: 'rust', summary: 's', toolchain: [], testCommand: 'cargo test', stages: [], prompts: [{ id: `${p}-why`, text: `Why ${p}?` }], dir: `projects/${p}` })),
  };
}

const course: Course = {
  id: 'c', title: 'Test Course', version: '1.0.0',
  months: [{ id: 'one', number: 1, title: 'One', modules: [mod('m1', 'one', ['a', 'b'], ['p1', 'p2'], ['proj']), mod('m2', 'one', ['c'], ['p3'])] }],
};
const index = new CourseIndex(course);

function progress(change: (p: Progress) => void = () => undefined): Progress {
  const p = emptyProgress();
  change(p);
  return p;
}

describe('progress summary', () => {
  it('counts lessons, whole reflections and passing projects', () => {
    const p = progress((p) => {
      p.lessons.a = { completedAt: 't' };
      p.answers.p1 = { text: 'x', updatedAt: 't' }; // half a reflection is not a reflection
      p.projects.proj = { state: 'failing', updatedAt: 't' };
    });
    assert.deepStrictEqual(countModule(course.months[0].modules[0], p, index), { done: 1, total: 4 });
    p.answers.p2 = { text: 'y', updatedAt: 't' };
    p.projects.proj.state = 'passing';
    assert.deepStrictEqual(countCourse(p, index), { done: 3, total: 6 });
  });

  it('continues with the first incomplete item from the one last opened, wrapping around', () => {
    assert.deepStrictEqual(nextItem(progress(), index), { kind: 'lesson', id: 'a' });
    const p = progress((p) => {
      p.lessons.a = { completedAt: 't' };
      p.lastOpened = { kind: 'lesson', id: 'c', at: 't' };
    });
    assert.deepStrictEqual(nextItem(p, index), { kind: 'lesson', id: 'c' });
    p.lessons.c = { completedAt: 't' };
    p.answers.p3 = { text: 'done', updatedAt: 't' };
    assert.deepStrictEqual(nextItem(p, index), { kind: 'lesson', id: 'b' }, 'wraps to the start');
  });

  it('has nothing next when everything is complete', () => {
    const p = progress((p) => {
      for (const l of ['a', 'b', 'c']) p.lessons[l] = { completedAt: 't' };
      for (const q of ['p1', 'p2', 'p3']) p.answers[q] = { text: 'x', updatedAt: 't' };
      p.projects.proj = { state: 'passing', updatedAt: 't' };
    });
    assert.strictEqual(nextItem(p, index), undefined);
  });
});

describe('reflection journal', () => {
  it('writes answers under month, module and project headings with dates', () => {
    const p = progress((p) => {
      p.answers.p2 = { text: 'Second answer\n\nwith two paragraphs\n', updatedAt: '2026-11-20T08:00:00Z' };
      p.answers['proj-why'] = { text: 'Because.', updatedAt: '2026-11-21T08:00:00Z' };
    });
    const md = buildJournal(index, p, new Date('2026-11-25T12:00:00Z'));
    assert.strictEqual(
      md,
      [
        '# Reflection journal: Test Course', '',
        'Exported 2026-11-25. 2 answers.', '',
        '## Month 1: One', '',
        '### 1.1 Module m1', '',
        '#### Prompt p2?', '', '*2026-11-20*', '', 'Second answer\n\nwith two paragraphs', '',
        '### Project: Project proj', '',
        '#### Why proj?', '', '*2026-11-21*', '', 'Because.', '',
      ].join('\n'),
    );
  });

  it('keeps answers whose prompt left the course', () => {
    const p = progress((p) => void (p.answers.gone = { text: 'old thought', updatedAt: '2026-01-01T00:00:00Z' }));
    const md = buildJournal(index, p, new Date('2026-11-25T12:00:00Z'));
    assert.match(md, /## Answers to prompts no longer in the course\n\n#### gone\n\n\*2026-01-01\*\n\nold thought/);
  });

  it('says so when there is nothing to export yet', () => {
    assert.match(buildJournal(index, progress(), new Date()), /No reflections yet/);
  });
});
