import * as vscode from 'vscode';
import type { CourseModel } from '../course/courseModel';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { LessonRenderer, RenderResult } from '../render/markdown';
import { lessonRenderer } from '../render/lazyRenderer';
import { externalHref } from '../render/links';
import type { ProgressStore } from '../progress/store';
import { escapeHtml, makeNonce, page } from './html';
import type { LessonDoc, LessonMessage, LessonPanelState } from './messages';

import { LESSON_VIEW_TYPE } from './viewTypes';
export { LESSON_VIEW_TYPE };

interface Deps {
  readonly extensionUri: vscode.Uri;
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly openReflection: (ownerId: string) => Thenable<unknown>;
}

/**
 * Lesson and project-brief panels. Like the Markdown preview, one panel is reused unless the
 * learner asks for another (Open to the Side, or Ctrl/Cmd-click on a lesson link).
 */
export class LessonPanels implements vscode.Disposable {
  private readonly panels = new Set<LessonPanel>();
  private primary: LessonPanel | undefined;
  private readonly cache = new Map<string, RenderResult>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: Deps) {
    this.disposables.push(
      deps.model.onDidReload(() => {
        this.cache.clear();
        for (const p of this.panels) void p.refresh();
      }),
      deps.store.onDidChange(() => {
        for (const p of this.panels) p.postState();
      }),
    );
  }

  /** Panels currently open, for commands and tests. */
  get open(): readonly LessonPanel[] {
    return [...this.panels];
  }

  async show(doc: LessonDoc, options: { newPanel?: boolean; preserveFocus?: boolean } = {}): Promise<LessonPanel> {
    const reuse = !options.newPanel ? this.primary : undefined;
    if (reuse) {
      reuse.panel.reveal(undefined, options.preserveFocus);
      await reuse.display(doc);
      return reuse;
    }
    const panel = vscode.window.createWebviewPanel(LESSON_VIEW_TYPE, vscode.l10n.t('Lesson'), { viewColumn: options.newPanel ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: options.preserveFocus }, this.webviewOptions());
    return this.adopt(panel, doc, !options.newPanel);
  }

  /** Called by the serializer after a window reload. */
  async restore(panel: vscode.WebviewPanel, state: LessonPanelState | undefined): Promise<void> {
    panel.webview.options = this.webviewOptions();
    const doc = state?.doc ?? { kind: 'lesson', id: '' };
    await this.adopt(panel, doc, this.primary === undefined, state?.scrollY);
  }

  webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media'), vscode.Uri.joinPath(this.deps.extensionUri, 'curriculum')],
    };
  }

  private async adopt(panel: vscode.WebviewPanel, doc: LessonDoc, makePrimary: boolean, scrollY?: number): Promise<LessonPanel> {
    const lp = new LessonPanel(panel, this.deps, async (d, index) => {
      const result = await this.rendered(d, index, panel.webview);
      this.renderAhead(d, index, panel.webview);
      return result;
    });
    this.panels.add(lp);
    if (makePrimary) this.primary = lp;
    panel.onDidDispose(() => {
      this.panels.delete(lp);
      if (this.primary === lp) this.primary = undefined;
      lp.dispose();
    });
    lp.onNavigate = (target, newPanel) => void this.show(target, { newPanel });
    await lp.display(doc, scrollY);
    return lp;
  }

  /** Rendered once per document and shared by all panels: `asWebviewUri` does not depend on the panel. */
  private async rendered(doc: LessonDoc, index: CourseIndex, webview: vscode.Webview): Promise<RenderResult | undefined> {
    const renderer = await lessonRenderer();
    return renderDoc(doc, index, this.deps.model, renderer, this.cache, (path) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.deps.model.root, ...path.split('/'))).toString(),
    );
  }

  private aheadTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * While the learner reads a lesson, render the next and previous ones, so Next/Previous (the
   * way most lessons are opened) comes from the cache. Delayed, so it never competes with the
   * lesson being shown; cancelled by the next navigation.
   */
  private renderAhead(doc: LessonDoc, index: CourseIndex, webview: vscode.Webview): void {
    clearTimeout(this.aheadTimer);
    if (doc.kind !== 'lesson') return;
    this.aheadTimer = setTimeout(async () => {
      const { next, previous } = index.neighbours(doc.id);
      for (const lesson of [next, previous]) {
        if (lesson) await this.rendered({ kind: 'lesson', id: lesson.id }, index, webview).catch(() => undefined);
      }
    }, READ_AHEAD_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.aheadTimer);
    for (const p of this.panels) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const READ_AHEAD_DELAY_MS = 300;

async function renderDoc(
  doc: LessonDoc,
  index: CourseIndex,
  model: CourseModel,
  renderer: LessonRenderer,
  cache: Map<string, RenderResult>,
  imageSrc: (path: string) => string | undefined,
): Promise<RenderResult | undefined> {
  const key = `${doc.kind}:${doc.id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const path = doc.kind === 'lesson' ? index.lesson(doc.id)?.path : index.project(doc.id) && `${index.project(doc.id)!.dir}/brief.md`;
  if (!path) return undefined;
  const markdown = await model.source.readText(path);
  if (markdown === undefined) return undefined;
  const result = renderer.render(markdown, { docPath: path, lessonIdForPath: (p) => index.lessonIdForPath(p), imageSrc });
  cache.set(key, result);
  return result;
}

export class LessonPanel {
  doc: LessonDoc | undefined;
  onNavigate: ((doc: LessonDoc, newPanel: boolean) => void) | undefined;
  private readonly subscription: vscode.Disposable;
  private index: CourseIndex | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: Deps,
    private readonly render: (doc: LessonDoc, index: CourseIndex) => Promise<RenderResult | undefined>,
  ) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icons', 'course.svg');
    this.subscription = vscode.Disposable.from(
      panel.webview.onDidReceiveMessage((m: LessonMessage) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible && this.htmlStale) this.setHtml(this.currentHtml);
      }),
    );
  }

  async display(doc: LessonDoc, scrollY?: number): Promise<void> {
    this.doc = doc;
    const { index } = await this.deps.model.load();
    this.index = index;
    const webview = this.panel.webview;
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', name)).toString();
    const parts = { cspSource: webview.cspSource, nonce: makeNonce(), styles: [media('base.css'), media('lesson.css'), media('highlight.css')], scripts: [media('lesson.js')] };

    const result = index ? await this.render(doc, index) : undefined;
    if (!index || !result) {
      this.panel.title = vscode.l10n.t('Lesson not found');
      this.setHtml(page({ ...parts, title: this.panel.title, body: `<div id="lesson-root">${notFound(doc)}</div>` }));
      return;
    }
    const view = describe(doc, index);
    this.panel.title = view.title;
    if (doc.kind === 'lesson') void this.deps.store.setLastOpened({ kind: 'lesson', id: doc.id });
    const content = view.header + `<article class="markdown-body">${result.html}</article>` + view.footer;
    const data = { doc, scrollY: scrollY ?? 0, ...this.state(), strings: lessonPageStrings() };
    const html = page({ ...parts, title: view.title, body: `<div id="lesson-root">${content}</div>`, data });
    if (this.ready && this.panel.visible) {
      // The page is loaded: swap its content instead of reloading the webview (about 150 ms
      // less per navigation). webview.html catches up while the panel is hidden, because VS Code
      // rebuilds a hidden webview from it when it is shown again.
      this.currentHtml = html;
      this.htmlStale = true;
      void webview.postMessage({ type: 'show', content, data });
    } else {
      this.setHtml(html);
    }
  }

  /** Set once the page script has started; reset whenever the whole page is replaced. */
  private ready = false;
  private currentHtml = '';
  private htmlStale = false;

  private setHtml(html: string): void {
    this.ready = false;
    this.htmlStale = false;
    this.currentHtml = html;
    this.panel.webview.html = html;
  }

  refresh(): Promise<void> {
    return this.doc ? this.display(this.doc) : Promise.resolve();
  }

  /** Progress shown in the page (completion, quiz answers), pushed when it changes elsewhere. */
  postState(): void {
    void this.panel.webview.postMessage({ type: 'state', ...this.state() });
  }

  private state(): { completed: boolean; quizzes: Record<string, number> } {
    const p = this.deps.store.snapshot;
    const quizzes: Record<string, number> = {};
    for (const [id, q] of Object.entries(p.quizzes)) quizzes[id] = q.choice;
    return { completed: this.doc?.kind === 'lesson' && this.doc.id in p.lessons, quizzes };
  }

  private async onMessage(m: LessonMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        return;
      case 'openLesson':
        if (this.index?.lesson(m.lessonId)) {
          if (m.newPanel) this.onNavigate?.({ kind: 'lesson', id: m.lessonId }, true);
          else await this.display({ kind: 'lesson', id: m.lessonId });
        }
        return;
      case 'openExternal': {
        // Re-checked here: the page is not trusted to have filtered the URL.
        const href = externalHref(m.href);
        if (href) await vscode.env.openExternal(vscode.Uri.parse(href, true));
        return;
      }
      case 'setComplete':
        if (this.doc?.kind === 'lesson') await this.deps.store.setLessonComplete(this.doc.id, m.complete);
        return;
      case 'quizAnswer': {
        const result = this.doc && this.index ? await this.render(this.doc, this.index) : undefined;
        const quiz = result?.quizzes.find((q) => q.id === m.quizId);
        if (quiz && Number.isInteger(m.choice) && m.choice >= 0 && m.choice < quiz.choices.length) {
          await this.deps.store.recordQuiz(quiz.id, m.choice, m.choice === quiz.answer);
        }
        return;
      }
      case 'copy':
        if (typeof m.text === 'string') await vscode.env.clipboard.writeText(m.text);
        return;
      case 'openReflection':
        await this.deps.openReflection(m.ownerId);
        return;
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The page script's own text (media/lesson.js), in the display language. */
function lessonPageStrings(): Record<string, string> {
  return {
    copy: vscode.l10n.t('Copy'),
    copied: vscode.l10n.t('Copied'),
    correct: vscode.l10n.t('Correct.'),
    incorrect: vscode.l10n.t('Not this one: read why below each choice.'),
    answerAgain: vscode.l10n.t('Answer again'),
    completed: vscode.l10n.t('✓ Completed'),
    markComplete: vscode.l10n.t('Mark complete'),
    completedTitle: vscode.l10n.t('Click to mark this lesson as not complete'),
    markCompleteTitle: vscode.l10n.t('Record this lesson as done'),
  };
}

/** `Month 1 · Core systems › 1.1 Operating systems`, escaped. */
function breadcrumbs(month: { number: number; title: string }, mod: { number: string; title: string }): string {
  const path = `${escapeHtml(vscode.l10n.t('Month {0} · {1}', month.number, month.title))} › ${escapeHtml(mod.number)} ${escapeHtml(mod.title)}`;
  return `<nav class="breadcrumbs" aria-label="${escapeHtml(vscode.l10n.t('Breadcrumbs'))}">${path}</nav>`;
}

function describe(doc: LessonDoc, index: CourseIndex): { title: string; header: string; footer: string } {
  if (doc.kind === 'brief') {
    const project = index.project(doc.id)!;
    const mod = index.module(project.moduleId)!;
    const month = index.month(mod.monthId)!;
    const stages = project.stages.length === 1 ? vscode.l10n.t('1 stage') : vscode.l10n.t('{0} stages', project.stages.length);
    const meta = [
      escapeHtml(vscode.l10n.t('Project')),
      escapeHtml(project.language),
      escapeHtml(stages),
      vscode.l10n.t('tests: {0}', `<code>${escapeHtml(project.testCommand)}</code>`),
    ].join(' · ');
    const header = `<header class="lesson-header">${breadcrumbs(month, mod)}<p class="lesson-meta">${meta}</p></header>`;
    const footer = `<footer class="lesson-footer"><span></span><button type="button" class="secondary" data-reflection="${escapeHtml(project.id)}">${escapeHtml(vscode.l10n.t('Project reflection prompts'))}</button><span></span></footer>`;
    return { title: project.title, header, footer };
  }
  const lesson = index.lesson(doc.id)!;
  const mod = index.module(lesson.moduleId)!;
  const month = index.month(mod.monthId)!;
  const pos = index.position(lesson.id);
  const { previous, next } = index.neighbours(lesson.id);
  const meta = [vscode.l10n.t('Lesson {0} of {1}', pos?.index ?? '?', pos?.of ?? '?'), lesson.minutes ? vscode.l10n.t('{0} min', lesson.minutes) : undefined].filter(Boolean).join(' · ');
  const header = `<header class="lesson-header">${breadcrumbs(month, mod)}<h1>${escapeHtml(lesson.title)}</h1><p class="lesson-meta">${escapeHtml(meta)}</p></header>`;
  const nav = (l: typeof previous, rel: 'prev' | 'next') =>
    l
      ? `<a href="#" class="nav-link nav-${rel}" data-lesson="${escapeHtml(l.id)}" rel="${rel}"><span class="nav-label">${escapeHtml(rel === 'prev' ? vscode.l10n.t('Previous') : vscode.l10n.t('Next'))}</span><span class="nav-title">${escapeHtml(l.title)}</span></a>`
      : '<span></span>';
  const lastInModule = mod.lessons[mod.lessons.length - 1]?.id === lesson.id;
  const reflect = lastInModule ? `<button type="button" class="secondary" data-reflection="${escapeHtml(mod.id)}">${escapeHtml(vscode.l10n.t('Reflect on module {0}', mod.number))}</button>` : '';
  const footer =
    `<footer class="lesson-footer">${nav(previous, 'prev')}<div class="lesson-actions"><button type="button" class="complete-toggle" data-action="toggle-complete" aria-pressed="false">${escapeHtml(vscode.l10n.t('Mark complete'))}</button>${reflect}</div>${nav(next, 'next')}</footer>`;
  return { title: lesson.title, header, footer };
}

function notFound(doc: LessonDoc): string {
  const heading = doc.kind === 'brief' ? vscode.l10n.t('This project brief is not in the course') : vscode.l10n.t('This lesson is not in the course');
  const hint = vscode.l10n.t('It may have been removed or renamed in this version of the curriculum. Open the course view to pick another.');
  return `<main class="not-found"><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(hint)}</p></main>`;
}
