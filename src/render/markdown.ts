import * as l10n from '@vscode/l10n';
import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;
type StateCore = MarkdownIt.StateCore;
import { dirname, joinInside } from '../curriculum/source';
import { canonicalLanguage, highlight } from './highlight';
import { externalHref, fragmentHref, isAllowedAtParse, isImagePath, isSchemeLess, pathPart } from './links';
import { parseQuiz, type Quiz } from './quiz';

/** What a render needs to know about where the document lives. */
export interface RenderContext {
  /** POSIX path of the Markdown file relative to the curriculum root. */
  readonly docPath: string;
  /** Lesson id for a curriculum-relative `.md` path, or undefined when that file is not a lesson. */
  lessonIdForPath(path: string): string | undefined;
  /** URI the webview may load for a curriculum-relative image path, or undefined to refuse it. */
  imageSrc(path: string): string | undefined;
}

export interface RenderProblem {
  /** 1-based line in the Markdown file. */
  readonly line: number;
  readonly message: string;
}

export interface RenderResult {
  readonly html: string;
  readonly quizzes: readonly Quiz[];
  readonly problems: readonly RenderProblem[];
  /** Lesson ids this document links to, in order of appearance. */
  readonly lessonLinks: readonly string[];
}

interface Env {
  ctx: RenderContext;
  quizzes: Quiz[];
  problems: RenderProblem[];
  lessonLinks: string[];
  slugs: Map<string, number>;
  /** While rendering a quiz's inline Markdown, problems are reported at the fence's line. */
  lineOverride?: number;
}

/**
 * Lesson Markdown → HTML for the lesson webview. Raw HTML is off (it renders as text), and a
 * core rule rewrites every link and image against the URL policy in `links.ts`, so the output
 * is safe on its own; the webview's CSP is a second wall, not the only one.
 */
export class LessonRenderer {
  private readonly md: MarkdownIt;

  constructor() {
    this.md = new MarkdownIt({ html: false, linkify: true, typographer: false });
    this.md.validateLink = isAllowedAtParse;
    this.md.core.ruler.push('course_policy', (state) => applyPolicy(state));
    this.md.renderer.rules.fence = (tokens, idx, _options, env: Env) => this.renderFence(tokens[idx], env);
    this.md.renderer.rules.code_block = (tokens, idx) => codeBlock(this.md.utils.escapeHtml(tokens[idx].content), undefined);
  }

  render(markdown: string, ctx: RenderContext): RenderResult {
    const env: Env = { ctx, quizzes: [], problems: [], lessonLinks: [], slugs: new Map() };
    const html = this.md.render(markdown, env);
    return { html, quizzes: env.quizzes, problems: env.problems, lessonLinks: env.lessonLinks };
  }

  /** Inline Markdown (reflection prompts, quiz text) under the same policy. */
  renderInline(markdown: string, ctx: RenderContext): string {
    const env: Env = { ctx, quizzes: [], problems: [], lessonLinks: [], slugs: new Map() };
    return this.md.renderInline(markdown, env);
  }

  private renderFence(token: Token, env: Env): string {
    const info = token.info.trim().split(/\s+/)[0] ?? '';
    const line = (token.map?.[0] ?? 0) + 1;
    if (info === 'quiz') return this.renderQuiz(token.content, line, env);
    const language = canonicalLanguage(info);
    const highlighted = highlight(token.content, language);
    return codeBlock(highlighted ?? this.md.utils.escapeHtml(token.content), language);
  }

  private renderQuiz(body: string, line: number, env: Env): string {
    const esc = this.md.utils.escapeHtml;
    const parsed = parseQuiz(body);
    if (!parsed.ok) {
      env.problems.push({ line, message: parsed.message });
      return `<div class="quiz-error" role="note"><strong>${esc(l10n.t('This quiz could not be shown.'))}</strong> ${esc(parsed.message)}</div>\n`;
    }
    const quiz = parsed.quiz;
    if (env.quizzes.some((q) => q.id === quiz.id)) env.problems.push({ line, message: `quiz id "${quiz.id}" is used twice in this lesson` });
    env.quizzes.push(quiz);
    env.lineOverride = line;
    try {
      const inline = (s: string) => this.md.renderInline(s, env);
      const choices = quiz.choices
        .map((c, i) =>
          `<li class="quiz-choice"><button type="button" class="quiz-choice-button" data-choice="${i}">` +
          `<span class="quiz-choice-letter">${String.fromCharCode(65 + i)}</span><span class="quiz-choice-text">${inline(c.text)}</span></button>` +
          `<div class="quiz-explanation" data-verdict="${c.correct ? 'correct' : 'incorrect'}" hidden>${inline(c.explanation)}</div></li>`,
        )
        .join('');
      return (
        `<section class="quiz" data-quiz-id="${esc(quiz.id)}" data-answer="${quiz.answer}">` +
        `<p class="quiz-question"><span class="quiz-label">${esc(l10n.t('Check yourself'))}</span>${inline(quiz.question)}</p>` +
        `<ol class="quiz-choices">${choices}</ol><p class="quiz-feedback" role="status" aria-live="polite"></p></section>\n`
      );
    } finally {
      env.lineOverride = undefined;
    }
  }
}

/** Our own (translated) text in markup: a translation is text, never HTML. */
function escapeText(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function codeBlock(innerHtml: string, language: string | undefined): string {
  const label = language && language !== 'plaintext' ? `<span class="code-language">${language}</span>` : '';
  const cls = language ? ` class="hljs language-${language}"` : ' class="hljs"';
  return (
    `<div class="code-block"><div class="code-toolbar">${label}<button type="button" class="copy-button" title="${escapeText(l10n.t('Copy to clipboard'))}">${escapeText(l10n.t('Copy'))}</button></div>` +
    `<pre><code${cls}>${innerHtml}</code></pre></div>\n`
  );
}

function applyPolicy(state: StateCore): void {
  const env = state.env as Env;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'heading_open') addHeadingId(token, tokens[i + 1], env);
    if ((token.type === 'th_open' || token.type === 'td_open') && token.attrGet('style')) alignToClass(token);
    if (token.type === 'inline' && token.children) {
      const line = env.lineOverride ?? (token.map?.[0] ?? 0) + 1;
      rewriteInline(token.children, line, env, state);
    }
  }
}

/** Links markdown-it refused at parse time stay as text; find them so authors hear about it. */
const REFUSED_LINK = /\]\(\s*<?\s*([a-z][a-z0-9+.-]*):|<([a-z][a-z0-9+.-]*):[^\s>]*>/gi;

function rewriteInline(children: Token[], line: number, env: Env, state: StateCore): void {
  for (let i = 0; i < children.length; i++) {
    const t = children[i];
    if (t.type === 'text') {
      for (const m of t.content.matchAll(REFUSED_LINK)) {
        const scheme = (m[1] ?? m[2]).toLowerCase();
        if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') {
          env.problems.push({ line, message: `a "${scheme}:" link is not allowed (only http, https and mailto); it is shown as plain text` });
        }
      }
    } else if (t.type === 'link_open') {
      if (!rewriteLink(t, line, env)) {
        // Not allowed: keep the link text, lose the link. Links never nest, so the next close is ours.
        t.tag = 'span';
        t.attrs = [['class', 'unresolved-link']];
        const close = children.slice(i + 1).find((c) => c.type === 'link_close');
        if (close) close.tag = 'span';
      }
    } else if (t.type === 'image') {
      if (!rewriteImage(t, line, env)) {
        const text = new state.Token('text', '', 0);
        text.content = l10n.t('[image: {0}]', t.content || l10n.t('untitled'));
        children[i] = text;
      }
    }
  }
}

/** Returns false when the link must be shown as plain text. */
function rewriteLink(t: Token, line: number, env: Env): boolean {
  const href = t.attrGet('href') ?? '';
  const title = t.attrGet('title');
  const keepTitle = (attrs: [string, string][]) => (title ? [...attrs, ['title', title] as [string, string]] : attrs);
  const fragment = fragmentHref(href);
  if (fragment) {
    t.attrs = keepTitle([['href', fragment]]);
    return true;
  }
  const external = externalHref(href);
  if (external) {
    t.attrs = keepTitle([['href', external], ['class', 'external-link'], ['data-external', 'true']]);
    return true;
  }
  if (isSchemeLess(href)) {
    const path = pathPart(href);
    const target = path !== undefined ? joinInside(dirname(env.ctx.docPath), path) : undefined;
    const lessonId = target !== undefined ? env.ctx.lessonIdForPath(target) : undefined;
    if (lessonId) {
      env.lessonLinks.push(lessonId);
      t.attrs = keepTitle([['href', '#'], ['class', 'lesson-link'], ['data-lesson', lessonId]]);
      return true;
    }
    env.problems.push({ line, message: `link "${href}" does not point to a lesson in the curriculum; it is shown as plain text` });
    return false;
  }
  env.problems.push({ line, message: `link "${href}" uses a scheme other than http, https or mailto; it is shown as plain text` });
  return false;
}

function rewriteImage(t: Token, line: number, env: Env): boolean {
  const src = t.attrGet('src') ?? '';
  const path = isSchemeLess(src) ? pathPart(src) : undefined;
  const target = path !== undefined ? joinInside(dirname(env.ctx.docPath), path) : undefined;
  if (target === undefined || !isImagePath(target)) {
    env.problems.push({ line, message: `image "${src}" is not a .svg/.png/.jpg/.gif/.webp file inside the curriculum; only its alt text is shown` });
    return false;
  }
  const uri = env.ctx.imageSrc(target);
  if (!uri) {
    env.problems.push({ line, message: `image "${src}" was not found (curriculum/${target})` });
    return false;
  }
  const title = t.attrGet('title');
  t.attrs = [['src', uri], ['alt', ''], ['class', 'lesson-image'], ['loading', 'lazy']];
  if (title) t.attrs.push(['title', title]);
  return true;
}

function addHeadingId(open: Token, inline: Token | undefined, env: Env): void {
  const text = inline?.children?.filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('') ?? '';
  const base = text.toLowerCase().replace(/[^a-z0-9\s-]/g, '').trim().replace(/\s+/g, '-') || 'section';
  const n = env.slugs.get(base) ?? 0;
  env.slugs.set(base, n + 1);
  open.attrSet('id', n === 0 ? base : `${base}-${n}`);
}

function alignToClass(t: Token): void {
  const m = /text-align:\s*(left|center|right)/.exec(t.attrGet('style') ?? '');
  t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'style');
  if (m) t.attrSet('class', `align-${m[1]}`);
}
