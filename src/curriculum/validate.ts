import { LessonRenderer } from '../render/markdown';
import { loadCurriculum } from './loader';
import type { CurriculumSource } from './source';
import type { Course, Problem, Project } from './types';

export interface ValidationReport {
  readonly course: Course | undefined;
  readonly problems: readonly Problem[];
  readonly stats: { months: number; modules: number; lessons: number; prompts: number; projects: number; stages: number; quizzes: number };
}

/**
 * Everything the loader checks, plus what only matters to authors and is too slow for
 * activation: every lesson and brief is rendered, so broken quiz blocks, links and images are
 * reported with their line, and quiz ids are checked for uniqueness across the course.
 */
export async function validateCurriculum(source: CurriculumSource): Promise<ValidationReport> {
  const { course, problems: loadProblems } = await loadCurriculum(source);
  const problems = [...loadProblems];
  const stats = { months: 0, modules: 0, lessons: 0, prompts: 0, projects: 0, stages: 0, quizzes: 0 };
  if (!course) return { course, problems: sortProblems(problems), stats };

  const lessonByPath = new Map<string, string>();
  for (const m of course.months) for (const mod of m.modules) for (const l of mod.lessons) lessonByPath.set(l.path, l.id);
  const files = new Set(await listFiles(source, 'modules'));
  for (const f of await listFiles(source, 'projects')) files.add(f);

  const renderer = new LessonRenderer();
  const quizIds = new Map<string, string>();
  const documents: { path: string; isLesson: boolean }[] = [];
  for (const month of course.months) {
    stats.months++;
    for (const mod of month.modules) {
      stats.modules++;
      stats.prompts += mod.prompts.length;
      for (const lesson of mod.lessons) documents.push({ path: lesson.path, isLesson: true });
      for (const project of mod.projects) {
        stats.projects++;
        stats.stages += project.stages.length;
        stats.prompts += project.prompts.length;
        documents.push({ path: `${project.dir}/brief.md`, isLesson: false });
        problems.push(...(await checkStageFiles(source, project, files)));
      }
    }
  }

  for (const doc of documents) {
    const text = await source.readText(doc.path);
    if (text === undefined) continue; // already reported by the loader
    if (doc.isLesson) stats.lessons++;
    if (doc.isLesson && /^\s*# /.test(text)) {
      problems.push({ file: doc.path, line: 1, severity: 'warning', message: 'a lesson starts with its first "##" section; the title comes from module.json' });
    }
    const result = renderer.render(text, {
      docPath: doc.path,
      lessonIdForPath: (p) => lessonByPath.get(p),
      imageSrc: (p) => (files.has(p) ? p : undefined),
    });
    for (const p of result.problems) problems.push({ file: doc.path, line: p.line, severity: 'error', message: p.message });
    for (const quiz of result.quizzes) {
      stats.quizzes++;
      const first = quizIds.get(quiz.id);
      if (first && first !== doc.path) {
        problems.push({ file: doc.path, line: lineOfQuiz(text, quiz.id), severity: 'error', message: `duplicate quiz id "${quiz.id}" (also in curriculum/${first})` });
      } else {
        quizIds.set(quiz.id, doc.path);
      }
    }
  }
  return { course, problems: sortProblems(problems), stats };
}

/**
 * Skip-ahead and reset work from the files each stage lists, so every listed file must have a
 * reference version, and a solution file that no stage lists could never be applied by skipping.
 */
async function checkStageFiles(source: CurriculumSource, project: Project, files: ReadonlySet<string>): Promise<Problem[]> {
  const manifest = `${project.dir}/project.json`;
  const text = (await source.readText(manifest)) ?? '';
  const lineOf = (needle: string) => {
    const i = text.split('\n').findIndex((l) => l.includes(needle));
    return i < 0 ? 1 : i + 1;
  };
  const problems: Problem[] = [];
  const solution = `${project.dir}/solution/`;
  const listed = new Set<string>();
  for (const stage of project.stages) {
    for (const f of stage.files) {
      listed.add(f);
      if (!files.has(solution + f)) {
        problems.push({ file: manifest, line: lineOf(`"${f}"`), severity: 'error', message: `stage "${stage.id}" lists "${f}", which is not in curriculum/${solution}` });
      }
    }
  }
  // stages/<stage id>/<file>: the state of a shared file right after that stage.
  const snapshots = `${project.dir}/stages/`;
  for (const f of [...files].filter((p) => p.startsWith(snapshots)).sort()) {
    const [stageId, ...rest] = f.slice(snapshots.length).split('/');
    const rel = rest.join('/');
    const n = project.stages.findIndex((s) => s.id === stageId);
    if (n < 0) {
      problems.push({ file: `${project.dir}/stages/${stageId}`, line: 1, severity: 'error', message: `"${stageId}" is not a stage of project "${project.id}"; snapshot folders are named after stage ids` });
    } else if (!project.stages[n].files.includes(rel) || !project.stages.slice(n + 1).some((s) => s.files.includes(rel))) {
      problems.push({ file: f, line: 1, severity: 'error', message: `a snapshot is the state of a file after its stage for a later stage to continue: stage "${stageId}" and a later stage must both list "${rel}"` });
    }
  }
  if (listed.size === 0) return problems;
  for (const f of [...files].filter((p) => p.startsWith(solution)).sort()) {
    const rel = f.slice(solution.length);
    if (!listed.has(rel)) {
      problems.push({ file: manifest, line: lineOf('"stages"'), severity: 'warning', message: `solution file "${rel}" is listed by no stage, so skipping ahead never applies it` });
    }
  }
  return problems;
}

function lineOfQuiz(text: string, id: string): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(`"id"`) && l.includes(`"${id}"`));
  return i < 0 ? 1 : i + 1;
}

async function listFiles(source: CurriculumSource, dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const name of (await source.list(d)) ?? []) {
      const p = `${d}/${name}`;
      const kind = await source.stat(p);
      if (kind === 'directory') {
        if (name !== 'target' && name !== '_build' && name !== 'deps' && name !== 'node_modules') await walk(p);
      } else if (kind === 'file') out.push(p);
    }
  };
  await walk(dir);
  return out;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
