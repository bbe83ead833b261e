import { LocatedJson } from './json';
import { schemaValidators } from './schemas';
import type { CurriculumSource } from './source';
import type { Course, Lesson, Module, Month, Problem, Project, Prompt, Stage } from './types';

export interface LoadResult {
  /** The course, with every part that could be read. Undefined only when course.json itself is unusable. */
  readonly course: Course | undefined;
  readonly problems: readonly Problem[];
}

/** Raw manifest shapes, as the schemas describe them (already schema-checked when used). */
interface RawCourse { id: string; title: string; version: string; months: { id: string; number: number; title: string; summary?: string; modules: string[] }[] }
interface RawPrompt { id: string; text: string }
interface RawModule { id: string; number: string; title: string; summary?: string; keyConcepts: string[]; lessons: { id: string; title: string; file: string; minutes?: number }[]; projects: string[]; reflection: { prompts: RawPrompt[] } }
interface RawProject {
  id: string; title: string; module: string; language: Project['language']; summary: string;
  toolchain: { command: string; versionArgs?: string[]; name: string; installUrl: string }[];
  test: { command: string };
  stages: { id: string; title: string; summary: string; hints?: string[]; files?: string[] }[];
  reflection: { prompts: RawPrompt[] };
}

/** Where an id was first declared, to report duplicates with both places. */
interface Declared { readonly file: string; readonly line: number }

/**
 * Ids must be unique within their kind across the whole course, because progress is keyed by
 * `kind:id`. Module and project prompts share one kind: both are answers in the journal.
 */
class IdRegistry {
  private readonly seen = new Map<string, Declared>();
  constructor(private readonly problems: Problem[]) {}

  claim(kind: string, id: string, at: Declared): boolean {
    const key = `${kind}:${id}`;
    const first = this.seen.get(key);
    if (first) {
      this.problems.push({ ...at, severity: 'error', message: `duplicate ${kind} id "${id}" (first declared at curriculum/${first.file}:${first.line})` });
      return false;
    }
    this.seen.set(key, at);
    return true;
  }
}

export async function loadCurriculum(source: CurriculumSource): Promise<LoadResult> {
  const problems: Problem[] = [];
  const validators = schemaValidators();
  const ids = new IdRegistry(problems);

  const courseDoc = await readJson(source, 'course.json', problems);
  if (!courseDoc) return { course: undefined, problems };
  courseDoc.check(validators.course, problems);
  const raw = courseDoc.value as RawCourse;
  if (!isObject(raw) || !Array.isArray(raw.months)) return { course: undefined, problems };

  // Modules are checked one after another (id claims and problems depend on order), but their
  // files are requested all at once, so a slow file system answers them concurrently.
  source = prefetching(source, raw.months.flatMap((m) => (isObject(m) && Array.isArray(m.modules) ? m.modules.filter((id): id is string => typeof id === 'string') : []))
    .flatMap((id) => [{ read: `modules/${id}/module.json` }, { list: `modules/${id}/lessons` }]));

  const claimedModules = new Map<string, string>();
  const claimedProjects = new Map<string, string>();
  const months: Month[] = [];
  for (const [mi, rawMonth] of raw.months.entries()) {
    if (!isObject(rawMonth) || typeof rawMonth.id !== 'string' || !Array.isArray(rawMonth.modules)) continue; // reported by the schema
    ids.claim('month', rawMonth.id, courseDoc.place(['months', mi, 'id']));
    const modules: Module[] = [];
    for (const [j, moduleId] of rawMonth.modules.entries()) {
      if (typeof moduleId !== 'string') continue;
      const at = courseDoc.place(['months', mi, 'modules', j]);
      if (!ids.claim('module', moduleId, at)) continue;
      claimedModules.set(moduleId, rawMonth.id);
      const mod = await loadModule(source, moduleId, rawMonth.id, at, ids, claimedProjects, problems);
      if (mod) modules.push(mod);
    }
    months.push({ id: rawMonth.id, number: rawMonth.number, title: rawMonth.title, summary: rawMonth.summary, modules });
  }

  await reportOrphans(source, 'modules', claimedModules, 'module', 'course.json', problems);
  await reportOrphans(source, 'projects', claimedProjects, 'project', 'a module.json "projects" list', problems);

  return { course: { id: raw.id, title: raw.title, version: raw.version, months }, problems };
}

/**
 * A view of `source` that has already asked for the given reads and listings; each is answered
 * from that first request, once. Everything else goes straight to `source`.
 */
function prefetching(source: CurriculumSource, wanted: readonly ({ read: string } | { list: string })[]): CurriculumSource {
  const reads = new Map<string, Promise<string | undefined>>();
  const lists = new Map<string, Promise<readonly string[] | undefined>>();
  const start = <T>(map: Map<string, Promise<T>>, path: string, fetch: () => Promise<T>) => {
    if (map.has(path)) return;
    const p = fetch();
    p.catch(() => undefined); // not unhandled: the failure surfaces when the loader takes the result
    map.set(path, p);
  };
  for (const w of wanted) {
    if ('read' in w) start(reads, w.read, () => source.readText(w.read));
    else start(lists, w.list, () => source.list(w.list));
  }
  const take = <T>(map: Map<string, Promise<T>>, path: string, fetch: () => Promise<T>): Promise<T> => {
    const p = map.get(path);
    if (!p) return fetch();
    map.delete(path);
    return p;
  };
  return {
    readText: (path) => take(reads, path, () => source.readText(path)),
    list: (path) => take(lists, path, () => source.list(path)),
    stat: (path) => source.stat(path),
  };
}

async function loadModule(
  source: CurriculumSource,
  moduleId: string,
  monthId: string,
  referencedAt: Declared,
  ids: IdRegistry,
  claimedProjects: Map<string, string>,
  problems: Problem[],
): Promise<Module | undefined> {
  const dir = `modules/${moduleId}`;
  const file = `${dir}/module.json`;
  const doc = await readJson(source, file, problems, referencedAt, `module "${moduleId}" is listed in course.json but`);
  if (!doc) return undefined;
  // Schema errors are reported, then loading goes on with whatever entries are usable, so one
  // typo does not hide every other problem (or the rest of the module) from the author.
  doc.check(schemaValidators().module, problems);
  const raw = doc.value as RawModule;
  if (!isObject(raw) || !Array.isArray(raw.lessons) || !Array.isArray(raw.projects) || !Array.isArray(raw.reflection?.prompts)) return undefined;
  if (raw.id !== moduleId) {
    problems.push({ file, line: doc.lineOf(['id']), severity: 'error', message: `id "${raw.id}" must equal the folder name "${moduleId}"` });
  }

  const lessons: Lesson[] = [];
  // One directory listing per module instead of a stat per lesson: file-system calls through
  // the extension host cost milliseconds each, and a course can have thousands of lessons.
  const lessonFiles = new Set(await source.list(`${dir}/lessons`) ?? []);
  for (const [i, l] of raw.lessons.entries()) {
    if (!isObject(l) || !isId(l.id) || typeof l.title !== 'string' || typeof l.file !== 'string') continue;
    if (!ids.claim('lesson', l.id, doc.place(['lessons', i, 'id']))) continue;
    const path = `${dir}/${l.file}`;
    const name = l.file.slice('lessons/'.length);
    if (!l.file.startsWith('lessons/') || name.includes('/') || !lessonFiles.has(name)) {
      problems.push({ file, line: doc.lineOf(['lessons', i, 'file']), severity: 'error', message: `lesson file "${l.file}" does not exist (expected curriculum/${path})` });
      continue;
    }
    lessons.push({ id: l.id, title: l.title, path, minutes: l.minutes, moduleId });
  }

  const prompts = claimPrompts(raw.reflection.prompts, ['reflection', 'prompts'], doc, ids);

  const projects: Project[] = [];
  for (const [i, projectId] of raw.projects.entries()) {
    if (!isId(projectId)) continue;
    const at = doc.place(['projects', i]);
    if (!ids.claim('project', projectId, at)) continue;
    claimedProjects.set(projectId, moduleId);
    const project = await loadProject(source, projectId, moduleId, at, ids, problems);
    if (project) projects.push(project);
  }

  return { id: moduleId, number: raw.number, title: raw.title, summary: raw.summary, keyConcepts: raw.keyConcepts, lessons, projects, prompts, monthId };
}

async function loadProject(
  source: CurriculumSource,
  projectId: string,
  moduleId: string,
  referencedAt: Declared,
  ids: IdRegistry,
  problems: Problem[],
): Promise<Project | undefined> {
  const dir = `projects/${projectId}`;
  const file = `${dir}/project.json`;
  const doc = await readJson(source, file, problems, referencedAt, `project "${projectId}" is listed in modules/${moduleId}/module.json but`);
  if (!doc) return undefined;
  const schemaOk = doc.check(schemaValidators().project, problems);
  const raw = doc.value as RawProject;
  if (raw.id !== projectId) {
    problems.push({ file, line: doc.lineOf(['id']), severity: 'error', message: `id "${raw.id}" must equal the folder name "${projectId}"` });
  }
  if (raw.module !== moduleId) {
    problems.push({ file, line: doc.lineOf(['module']), severity: 'error', message: `module "${raw.module}" does not match the module that lists this project ("${moduleId}")` });
  }
  for (const [part, kind] of [['brief.md', 'file'], ['starter', 'directory'], ['solution', 'directory']] as const) {
    if ((await source.stat(`${dir}/${part}`)) !== kind) {
      problems.push({ file, line: 1, severity: 'error', message: `project is missing its ${kind === 'file' ? 'brief' : part} (expected ${kind} curriculum/${dir}/${part})` });
    }
  }
  // A project manifest that breaks its schema is not usable for running tests: report, skip.
  if (!schemaOk) return undefined;
  const stages: Stage[] = [];
  for (const [i, s] of raw.stages.entries()) {
    if (ids.claim('stage', s.id, doc.place(['stages', i, 'id']))) {
      stages.push({ id: s.id, title: s.title, summary: s.summary, hints: s.hints ?? [], files: s.files ?? [] });
    }
  }
  const prompts = claimPrompts(raw.reflection.prompts, ['reflection', 'prompts'], doc, ids);
  return {
    id: projectId,
    title: raw.title,
    moduleId,
    language: raw.language,
    summary: raw.summary,
    toolchain: raw.toolchain.map((t) => ({ command: t.command, versionArgs: t.versionArgs ?? ['--version'], name: t.name, installUrl: t.installUrl })),
    testCommand: raw.test.command,
    stages,
    prompts,
    dir,
  };
}

function claimPrompts(raw: readonly RawPrompt[], at: (string | number)[], doc: LocatedJson, ids: IdRegistry): Prompt[] {
  const prompts: Prompt[] = [];
  for (const [i, p] of raw.entries()) {
    if (!isObject(p) || !isId(p.id) || typeof p.text !== 'string') continue;
    if (ids.claim('prompt', p.id, doc.place([...at, i, 'id']))) prompts.push({ id: p.id, text: p.text });
  }
  return prompts;
}

async function readJson(
  source: CurriculumSource,
  file: string,
  problems: Problem[],
  referencedAt?: Declared,
  missingPrefix?: string,
): Promise<LocatedJson | undefined> {
  const text = await source.readText(file);
  if (text === undefined) {
    const at = referencedAt ?? { file, line: 1 };
    problems.push({ ...at, severity: 'error', message: `${missingPrefix ?? ''} curriculum/${file} does not exist`.trim() });
    return undefined;
  }
  return LocatedJson.parse(file, text, problems);
}

/** A folder nobody references is almost always a forgotten manifest entry: warn, do not fail. */
async function reportOrphans(source: CurriculumSource, folder: string, claimed: Map<string, string>, kind: string, listedIn: string, problems: Problem[]): Promise<void> {
  const entries = (await source.list(folder)) ?? [];
  for (const name of [...entries].sort()) {
    if (claimed.has(name) || (await source.stat(`${folder}/${name}`)) !== 'directory') continue;
    problems.push({ file: `${folder}/${name}`, line: 1, severity: 'warning', message: `${kind} folder "${name}" is not listed in ${listedIn}, so learners never see it` });
  }
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
function isId(v: unknown): v is string {
  return typeof v === 'string' && ID.test(v);
}
