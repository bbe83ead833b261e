import * as l10n from '@vscode/l10n';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Project, Prompt } from '../curriculum/types';
import { stagesPassedOf } from '../progress/summary';
import { localDayKey } from '../progress/localDays';
import type { Progress } from '../progress/schema';

/**
 * A showcase entry: a Markdown file about a finished project, for a pull request to the course's
 * showcase. Only projects whose tests pass qualify. The learner's own text (name, answers) is
 * escaped just enough that it cannot break the entry's structure or smuggle in HTML, while
 * ordinary Markdown in an answer (lists, emphasis, code) still renders.
 */

export interface ShowcaseOptions {
  readonly learnerName?: string;
  readonly repositoryUrl?: string;
  /** Reflection prompts to include, in this order. Omitted: the project's own answered prompts. */
  readonly promptIds?: readonly string[];
  readonly now: Date;
}

export type ShowcaseResult =
  | { readonly ok: true; readonly markdown: string; readonly fileName: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export function buildShowcaseEntry(index: CourseIndex, progress: Readonly<Progress>, projectId: string, options: ShowcaseOptions): ShowcaseResult {
  const project = index.project(projectId);
  if (!project) return { ok: false, reason: l10n.t('There is no project "{0}" in this version of the course. Pick one from the course view.', projectId) };
  const refusal = notReady(project, progress);
  if (refusal) return { ok: false, reason: refusal };

  const warnings: string[] = [];
  const learner = (options.learnerName ?? '').replace(/\s+/g, ' ').trim();
  const repository = checkRepositoryUrl(options.repositoryUrl, warnings);
  const reflections = chosenReflections(index, progress, project, options.promptIds, warnings);
  const state = progress.projects[project.id];
  const passedStages = stagesPassedOf(project, state);
  const module = index.module(project.moduleId);
  const date = localDayKey(options.now);

  const out: string[] = [];
  out.push(`# ${learner ? l10n.t('{0} by {1}', escapeInline(project.title), escapePlain(learner)) : escapeInline(project.title)}`, '');
  out.push(`*${escapeInline(index.course.title)}${module ? ` · ${escapeInline(`${module.number} ${module.title}`)}` : ''} · ${date}*`, '');

  out.push(`## ${l10n.t('What I built')}`, '', markdownBlock(project.summary), '');
  if (project.stages.length > 0) {
    out.push(project.stages.length === 1 ? l10n.t('All tests pass: {0} of 1 stage.', passedStages) : l10n.t('All tests pass: {0} of {1} stages.', passedStages, project.stages.length), '');
    const skipped = new Set(state?.stagesSkipped ?? []);
    project.stages.forEach((s, i) => {
      const line = l10n.t('Stage {0}: {1}', i + 1, escapeInline(s.title));
      // An entry must not claim work the learner skipped ahead over.
      out.push(`- [${i < passedStages ? 'x' : ' '}] ${skipped.has(s.id) ? l10n.t('{0} (skipped: the reference solution was applied)', line) : line}`);
    });
    out.push('');
  }
  const firstPass = state?.passedAt ? new Date(state.passedAt) : undefined;
  if (firstPass && !Number.isNaN(firstPass.getTime())) out.push(l10n.t('Tests first passed on {0}.', localDayKey(firstPass)), '');

  if (reflections.length > 0) {
    out.push(`## ${l10n.t('Reflections')}`, '');
    for (const r of reflections) out.push(`### “${escapeInline(oneLine(r.prompt))}”`, '', markdownBlock(r.answer), '');
  }

  if (repository) out.push(`## ${l10n.t('Source')}`, '', `<${repository}>`, '');
  out.push(`*${l10n.t('Prepared {0}.', date)}*`, '');

  return { ok: true, markdown: out.join('\n'), fileName: showcaseFileName(project.id, learner, options.now), warnings };
}

/** Projects that can be showcased now (tests passing), in course order. */
export function showcaseCandidates(index: CourseIndex, progress: Readonly<Progress>): Project[] {
  return index.course.months.flatMap((m) => m.modules.flatMap((mod) => mod.projects.filter((p) => progress.projects[p.id]?.state === 'passing')));
}

/** Prompts a learner can pick from for a project's entry: its own and its module's, answered ones only. */
export function showcasePrompts(index: CourseIndex, progress: Readonly<Progress>, projectId: string): Prompt[] {
  const project = index.project(projectId);
  if (!project) return [];
  const prompts = [...project.prompts, ...(index.module(project.moduleId)?.prompts ?? [])];
  return prompts.filter((p) => (progress.answers[p.id]?.text ?? '').trim() !== '');
}

/** `2026-11-25-rust-microservice-ada-lovelace.md`, with the learner's local date. */
export function showcaseFileName(projectId: string, learnerName: string | undefined, now: Date): string {
  return `${localDayKey(now)}-${slug(projectId) || 'project'}-${slug(learnerName ?? '') || 'learner'}.md`;
}

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents come apart under NFKD; keep the base letter
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

function notReady(project: Project, progress: Readonly<Progress>): string | undefined {
  const state = progress.projects[project.id];
  if (!state) return l10n.t('"{0}" has not been started. Scaffold it, make its tests pass, then prepare the showcase entry.', project.title);
  if (state.state === 'passing') return undefined;
  const stages = project.stages.length;
  if (state.state !== 'failing' || stages === 0) {
    return l10n.t('The tests of "{0}" are not passing yet. Run Backend Course: Run Project Tests and prepare the entry once they pass.', project.title);
  }
  return stages === 1
    ? l10n.t('The tests of "{0}" are not passing yet ({1} of 1 stage passes). Run Backend Course: Run Project Tests and prepare the entry once they pass.', project.title, stagesPassedOf(project, state))
    : l10n.t('The tests of "{0}" are not passing yet ({1} of {2} stages pass). Run Backend Course: Run Project Tests and prepare the entry once they pass.', project.title, stagesPassedOf(project, state), stages);
}

/**
 * Only https links go into a public entry. A link with a user name or password is left out as
 * well: it is most likely an access token pasted by accident.
 */
function checkRepositoryUrl(raw: string | undefined, warnings: string[]): string | undefined {
  const text = (raw ?? '').trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    warnings.push(l10n.t('The repository link "{0}" is not a valid URL, so it was left out.', text));
    return undefined;
  }
  if (url.protocol !== 'https:' || !url.hostname) {
    warnings.push(l10n.t('The repository link "{0}" was left out: only https:// links are included.', text));
    return undefined;
  }
  if (url.username || url.password) {
    warnings.push(l10n.t('The repository link was left out because it contains a user name or password. Use the plain https:// address of the repository.'));
    return undefined;
  }
  // URL.href percent-encodes spaces, quotes and angle brackets, so it is safe inside <…>.
  return url.href;
}

function chosenReflections(
  index: CourseIndex,
  progress: Readonly<Progress>,
  project: Project,
  promptIds: readonly string[] | undefined,
  warnings: string[],
): { prompt: string; answer: string }[] {
  const texts = promptTexts(index);
  const ids = promptIds ?? project.prompts.filter((p) => (progress.answers[p.id]?.text ?? '').trim() !== '').map((p) => p.id);
  const out: { prompt: string; answer: string }[] = [];
  for (const id of new Set(ids)) {
    const prompt = texts.get(id);
    const answer = progress.answers[id]?.text.trim() ?? '';
    if (prompt === undefined) warnings.push(l10n.t('The reflection prompt "{0}" is not in this version of the course, so it was left out.', id));
    else if (answer === '') warnings.push(l10n.t('“{0}” has no answer yet, so it was left out.', oneLine(prompt)));
    else out.push({ prompt, answer });
  }
  return out;
}

function promptTexts(index: CourseIndex): Map<string, string> {
  const texts = new Map<string, string>();
  for (const m of index.course.months) {
    for (const mod of m.modules) {
      for (const p of mod.prompts) texts.set(p.id, p.text);
      for (const project of mod.projects) for (const p of project.prompts) texts.set(p.id, p.text);
    }
  }
  return texts;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/* ------------------------------------------------------------------ escaping */

/**
 * Text that is meant to be plain (the learner's name): every character Markdown could read as
 * markup gets a backslash, so a name like `[me](https://…)` or `*me*` shows exactly as typed.
 */
export function escapePlain(text: string): string {
  return oneLine(text).replace(/[\\`*_{}\[\]()<>#!|~&]/g, '\\$&');
}

/**
 * Text on one line of our own structure (a heading, a list item): newlines become spaces and raw
 * HTML is neutralised; inline code spans are kept as they are (nothing inside them is markup).
 * A leading character that would start a block (#, >, -, +, 1.) cannot occur after our own
 * prefix, so only inline markup matters here.
 */
export function escapeInline(text: string): string {
  return outsideCodeSpans(oneLine(text), escapeHtmlMarkup);
}

/**
 * A multi-line block of the learner's text (an answer). Markdown in it still renders, but it
 * cannot take over the entry: headings (ATX and setext) become plain text, raw HTML is
 * neutralised, and a code fence left open is closed so the sections after it survive. Fenced
 * code and inline code spans are left exactly as written; an indented code block is not
 * recognised, so a `<` in one shows with its backslash (a rare, harmless blemish).
 */
export function markdownBlock(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').trimEnd().split('\n')) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      out.push(line);
      if (opener && opener[1][0] === fence[0] && opener[1].length >= fence.length && line.trim() === opener[1]) fence = undefined;
      continue;
    }
    if (opener && !(opener[1][0] === '`' && line.slice(line.indexOf('`') + opener[1].length).includes('`'))) {
      fence = opener[1];
      out.push(line);
      continue;
    }
    out.push(escapeBlockLine(line));
  }
  if (fence) out.push(fence);
  return out.join('\n');
}

function escapeBlockLine(line: string): string {
  let escaped = outsideCodeSpans(line, escapeHtmlMarkup);
  // An ATX heading would sit among our own headings; a line of = or - under text is a setext one.
  escaped = escaped.replace(/^( {0,3})(#{1,6})(?=[ \t]|$)/, '$1\\$2');
  escaped = escaped.replace(/^( {0,3})(=+|-+)([ \t]*)$/, '$1\\$2$3');
  return escaped;
}

/** `<` starts raw HTML (tags, comments) in Markdown; a backslash makes it a literal character. */
function escapeHtmlMarkup(text: string): string {
  return text.replace(/</g, '\\<');
}

/** Applies `escape` to the parts of a line that are not inline code spans. */
function outsideCodeSpans(line: string, escape: (s: string) => string): string {
  let out = '';
  let rest = line;
  for (;;) {
    const open = /`+/.exec(rest);
    if (!open) return out + escape(rest);
    const ticks = open[0];
    const after = rest.slice(open.index + ticks.length);
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`).exec(after);
    if (!close) return out + escape(rest); // an unmatched run of backticks is plain text
    out += escape(rest.slice(0, open.index)) + ticks + after.slice(0, close.index + ticks.length);
    rest = after.slice(close.index + ticks.length);
  }
}
