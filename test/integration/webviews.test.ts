import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LessonPanel } from '../../src/webview/lessonPanels';
import { activateExtension, eventually } from './helpers';

describe('lesson and reflection webviews', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens a lesson in a webview panel titled with the lesson, under a strict CSP', async () => {
    const api = await activateExtension();
    const index = (await api.model.load()).index!;
    const lesson = index.lessons[0];
    const panel = (await vscode.commands.executeCommand('backendCourse.openLesson', lesson.id)) as LessonPanel;
    assert.strictEqual(panel.panel.title, lesson.title);
    const html = panel.panel.webview.html;
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.match(html, /<article class="markdown-body"><h2 id="why-this-matters">Why this matters<\/h2>/);
    assert.match(html, /<span class="hljs-/, 'code is highlighted');
    assert.doesNotMatch(html, /<script>(?!\s*$)/, 'no inline script');
  });

  it('reuses one lesson panel, and opens a second one on request', async () => {
    const api = await activateExtension();
    const [a, b] = (await api.model.load()).index!.lessons;
    const first = (await vscode.commands.executeCommand('backendCourse.openLesson', a.id)) as LessonPanel;
    const again = (await vscode.commands.executeCommand('backendCourse.openLesson', b.id)) as LessonPanel;
    assert.strictEqual(again, first);
    assert.strictEqual(first.panel.title, b.title);
    const side = (await vscode.commands.executeCommand('backendCourse.openLessonToSide', a.id)) as LessonPanel;
    assert.notStrictEqual(side, first);
    assert.strictEqual(api.lessons().open.length, 2);
  });

  it('swaps lessons inside a loaded page, and brings webview.html up to date once the panel is hidden', async () => {
    const api = await activateExtension();
    const [a, b] = (await api.model.load()).index!.lessons;
    const panel = (await vscode.commands.executeCommand('backendCourse.openLesson', a.id)) as LessonPanel;
    await eventually(() => (panel as unknown as { ready: boolean }).ready, 'the lesson page to report that it loaded', 20000);
    await vscode.commands.executeCommand('backendCourse.openLesson', b.id);
    assert.strictEqual(panel.panel.title, b.title);
    assert.match(panel.panel.webview.html, new RegExp(`<h1>${a.title}</h1>`), 'the loaded page was updated by message, not reloaded');
    const doc = await vscode.workspace.openTextDocument({ content: 'hide the lesson panel' });
    await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn });
    await eventually(() => !panel.panel.visible && panel.panel.webview.html.includes(`<h1>${b.title}</h1>`), 'webview.html to show the current lesson while hidden');
  });

  it('keeps reflection answers in the persisted progress record and exports them as a journal', async () => {
    const api = await activateExtension();
    const index = (await api.model.load()).index!;
    const mod = index.course.months[0].modules[0];
    const panel = (await vscode.commands.executeCommand('backendCourse.openReflection', mod.id)) as vscode.WebviewPanel;
    assert.match(panel.webview.html, /<textarea id="prompt-0"/);
    await api.store.setAnswer(mod.prompts[0].id, 'Processes isolate faults; threads share them.');
    await api.store.flush();

    const target = vscode.Uri.file(path.join(os.tmpdir(), `journal-${Date.now()}.md`));
    await vscode.commands.executeCommand('backendCourse.exportJournal', target);
    const journal = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(journal, /^# Reflection journal: Mastering Backend Engineering/);
    assert.match(journal, new RegExp(`### ${mod.number} `));
    assert.match(journal, /Processes isolate faults; threads share them\./);
  });
});
