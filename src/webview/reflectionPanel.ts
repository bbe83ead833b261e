import * as vscode from 'vscode';
import type { CourseModel } from '../course/courseModel';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Prompt } from '../curriculum/types';
import { lessonRenderer } from '../render/lazyRenderer';
import type { ProgressStore } from '../progress/store';
import { escapeHtml, makeNonce, page } from './html';
import type { ReflectionMessage, ReflectionPanelState } from './messages';

import { REFLECTION_VIEW_TYPE } from './viewTypes';
export { REFLECTION_VIEW_TYPE };

interface Owner {
  readonly id: string;
  readonly title: string;
  readonly context: string;
  readonly prompts: readonly Prompt[];
}

/** Saves an answer to a prompt that exists in the course; the panel and the command both use it. */
export async function saveAnswer(store: ProgressStore, index: CourseIndex, promptId: string, text: string): Promise<void> {
  if (!index.hasPrompt(promptId)) throw new Error(vscode.l10n.t('There is no reflection prompt "{0}" in this version of the course.', promptId));
  await store.setAnswer(promptId, text);
}

function ownerOf(index: CourseIndex, id: string): Owner | undefined {
  const mod = index.module(id);
  if (mod) {
    const month = index.month(mod.monthId)!;
    return {
      id,
      title: vscode.l10n.t('Reflect: {0}', `${mod.number} ${mod.title}`),
      context: `${vscode.l10n.t('Month {0} · {1}', month.number, month.title)} › ${mod.number} ${mod.title}`,
      prompts: mod.prompts,
    };
  }
  const project = index.project(id);
  if (project) {
    const m = index.module(project.moduleId)!;
    return { id, title: vscode.l10n.t('Reflect: {0}', project.title), context: `${m.number} ${m.title} › ${vscode.l10n.t('Project: {0}', project.title)}`, prompts: project.prompts };
  }
  return undefined;
}

/**
 * Reflection prompts with a text area each. The page posts every change (debounced ~300 ms,
 * flushed on blur and when the panel is hidden or closed) and the extension writes it straight
 * to the progress store; the page also keeps drafts in its own state, so a reload shows them.
 */
export class ReflectionPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ownerId: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly model: CourseModel, private readonly store: ProgressStore) {}

  get current(): { panel: vscode.WebviewPanel; ownerId: string } | undefined {
    return this.panel && this.ownerId ? { panel: this.panel, ownerId: this.ownerId } : undefined;
  }

  async show(ownerId: string): Promise<vscode.WebviewPanel> {
    if (!this.panel) {
      this.adopt(vscode.window.createWebviewPanel(REFLECTION_VIEW_TYPE, vscode.l10n.t('Reflection'), vscode.ViewColumn.Active, this.webviewOptions()));
    } else {
      this.panel.reveal();
    }
    await this.display(ownerId);
    return this.panel!;
  }

  async restore(panel: vscode.WebviewPanel, state: ReflectionPanelState | undefined): Promise<void> {
    panel.webview.options = this.webviewOptions();
    if (this.panel) this.panel.dispose();
    this.adopt(panel);
    // A draft typed just before a reload may not have reached the store. Apply it only if the
    // store still holds the answer the draft was typed on; otherwise the store is newer.
    for (const [promptId, draft] of Object.entries(state?.drafts ?? {})) {
      if (!draft || typeof draft.text !== 'string' || typeof draft.base !== 'string') continue;
      const saved = this.store.answer(promptId);
      if (draft.text !== saved && draft.base === saved) await this.store.setAnswer(promptId, draft.text);
    }
    await this.display(state?.ownerId ?? '');
  }

  webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'course.svg');
    const sub = panel.webview.onDidReceiveMessage((m: ReflectionMessage) => this.onMessage(m));
    panel.onDidDispose(() => {
      sub.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.ownerId = undefined;
      }
    });
  }

  private async onMessage(m: ReflectionMessage): Promise<void> {
    if (m.type === 'answer' && typeof m.promptId === 'string' && typeof m.text === 'string') {
      const { index } = await this.model.load();
      const owner = index && this.ownerId ? ownerOf(index, this.ownerId) : undefined;
      // Only prompts shown in this panel can be written through it.
      if (owner?.prompts.some((p) => p.id === m.promptId)) {
        await saveAnswer(this.store, index!, m.promptId, m.text);
        void this.panel?.webview.postMessage({ type: 'saved', promptId: m.promptId, text: m.text });
      }
    } else if (m.type === 'openLesson' && typeof m.lessonId === 'string') {
      await vscode.commands.executeCommand('backendCourse.openLesson', m.lessonId);
    }
  }

  private async display(ownerId: string): Promise<void> {
    const panel = this.panel!;
    const { index } = await this.model.load();
    const owner = index ? ownerOf(index, ownerId) : undefined;
    const webview = panel.webview;
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', name)).toString();
    const parts = { cspSource: webview.cspSource, nonce: makeNonce(), styles: [media('base.css'), media('reflection.css')], scripts: [media('reflection.js')] };
    this.ownerId = owner?.id;
    if (!owner || !index) {
      panel.title = vscode.l10n.t('Reflection');
      const heading = escapeHtml(vscode.l10n.t('These reflection prompts are not in the course'));
      const hint = escapeHtml(vscode.l10n.t('Open the course view to pick a module.'));
      webview.html = page({ ...parts, title: panel.title, body: `<main class="not-found"><h1>${heading}</h1><p>${hint}</p></main>` });
      return;
    }
    void this.store.setLastOpened({ kind: 'reflection', id: owner.id });
    panel.title = owner.title;
    const renderer = await lessonRenderer();
    const inline = (text: string) => renderer.renderInline(text, { docPath: '', lessonIdForPath: (p) => index.lessonIdForPath(p), imageSrc: () => undefined });
    const placeholder = escapeHtml(vscode.l10n.t('Think it through in your own words…'));
    const items = owner.prompts
      .map((p, i) => {
        const id = `prompt-${i}`;
        const saved = this.store.snapshot.answers[p.id];
        return (
          `<section class="prompt" data-prompt-id="${escapeHtml(p.id)}">` +
          `<label for="${id}" class="prompt-text">${inline(p.text)}</label>` +
          `<textarea id="${id}" rows="6" spellcheck="true" placeholder="${placeholder}">${escapeHtml(saved?.text ?? '')}</textarea>` +
          `<p class="prompt-status" aria-live="polite">${escapeHtml(saved ? vscode.l10n.t('Saved {0}', saved.updatedAt.slice(0, 10)) : vscode.l10n.t('Not answered yet'))}</p></section>`
        );
      })
      .join('');
    webview.html = page({
      ...parts,
      title: owner.title,
      body:
        `<header class="lesson-header"><nav class="breadcrumbs">${escapeHtml(owner.context)}</nav><h1>${escapeHtml(owner.title)}</h1>` +
        `<p class="lesson-meta">${vscode.l10n.t(
          'Answers save as you type and stay on this machine (and in Settings Sync, if you use it). Export them all with {0}.',
          `<em>${escapeHtml(vscode.l10n.t('Backend Course: Export Reflection Journal'))}</em>`,
        )}</p></header>` +
        `<main class="prompts">${items}</main>`,
      // The page script's own text (media/reflection.js), in the display language.
      data: { ownerId: owner.id, strings: { saved: vscode.l10n.t('Saved'), saving: vscode.l10n.t('Saving…'), notAnswered: vscode.l10n.t('Not answered yet') } },
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
