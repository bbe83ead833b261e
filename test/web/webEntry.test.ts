import * as vscode from 'vscode';
import type { CourseApi } from '../../src/activation/lazyActivation';
import type { WebCore } from '../../src/extension.web';
import type { LessonPanel } from '../../src/webview/lessonPanels';
import { equal, eventually, includes, ok, sameList } from './check';

const EXTENSION_ID = 'mastering-backend.mastering-backend';

interface Manifest {
  browser?: string;
  contributes: { commands: { command: string }[]; menus: { commandPalette: { command: string; when?: string }[] } };
}

function extension(): vscode.Extension<CourseApi<WebCore>> {
  const ext = vscode.extensions.getExtension<CourseApi<WebCore>>(EXTENSION_ID);
  ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

async function activate(): Promise<WebCore> {
  return (await extension().activate()).ready();
}

async function readCurriculum(path: string): Promise<string> {
  const uri = vscode.Uri.joinPath(extension().extensionUri, 'curriculum', ...path.split('/'));
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

describe('web entry (package.json "browser") in the web worker extension host', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('runs the web bundle in a browser worker, not the desktop core', async () => {
    const core = await activate();
    const ext = extension();
    // No Node here: a worker global scope, and the extension runs on the UI side (the Node host
    // on the server would report Workspace).
    equal(typeof (globalThis as { importScripts?: unknown }).importScripts, 'function', 'a web worker global scope');
    equal(typeof (globalThis as { process?: unknown }).process, 'undefined', 'no Node `process` global');
    equal(ext.extensionKind, vscode.ExtensionKind.UI, 'extension kind');
    equal((ext.packageJSON as Manifest).browser, './dist/web/extension.js', 'package.json browser entry');
    // The desktop core has a test controller and watch mode; the web core has neither.
    ok(Array.isArray(core.desktopOnly), 'the web core lists its desktop-only commands');
    ok(!('tests' in core) && !('watch' in core), 'the desktop-only parts of the core are not there');
  });

  it('has a handler for every contributed command, an explanation for each one hidden on the web', async () => {
    const core = await activate();
    const manifest = extension().packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command);
    sameList(core.commands.ids, contributed, 'command handlers');
    const registered = new Set(await vscode.commands.getCommands(true));
    sameList(contributed.filter((c) => registered.has(c)), contributed, 'registered commands');
    // What the palette hides without a shell is exactly what the web core explains instead.
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when?.includes('shellExecutionSupported')).map((m) => m.command);
    sameList(core.desktopOnly, hidden, 'desktop-only commands against the palette entries gated on shellExecutionSupported');
  });

  it('explains that a project command needs VS Code desktop instead of running it', async () => {
    await activate();
    // The test module shares the extension's `vscode` API object, so the notification can be caught.
    const shown: { message: string; items: string[] }[] = [];
    const original = vscode.window.showInformationMessage;
    (vscode.window as { showInformationMessage: unknown }).showInformationMessage = (message: string, ...items: string[]) => {
      shown.push({ message, items });
      return Promise.resolve(undefined);
    };
    try {
      equal(await vscode.commands.executeCommand('backendCourse.runProjectTests', 'network-scanner'), undefined, 'result of runProjectTests');
      await vscode.commands.executeCommand('backendCourse.scaffoldProject');
    } finally {
      (vscode.window as { showInformationMessage: unknown }).showInformationMessage = original;
    }
    equal(shown.length, 2, 'notifications shown');
    includes(shown[0].message, 'cargo test or mix test', 'runProjectTests says what it would run');
    includes(shown[0].message, 'needs VS Code desktop', 'runProjectTests says where it works');
    includes(shown[1].message, 'starter code into a folder on your disk', 'scaffoldProject says what it would do');
    sameList(shown[0].items, ['Get VS Code Desktop'], 'the action offered');
  });

  it("loads the bundled curriculum (contents through workspace.fs, folders from the build's file list) and builds the course view", async () => {
    const core = await activate();
    const loaded = await core.model.load();
    sameList(loaded.errors.map((p) => `${p.file}:${p.line}: ${p.message}`), [], 'curriculum errors');
    const index = loaded.index!;
    await vscode.commands.executeCommand('backendCourse.browse'); // the tree is the welcome view until the course is started
    const top = await core.tree.getChildren();
    const labels = await Promise.all(top.map(async (n) => String((await core.tree.getTreeItem(n)).label)));
    for (const month of index.course.months) ok(labels.some((l) => l.includes(month.title)), `month "${month.title}" in the course view (got ${labels.join(' | ')})`);
    const modules = await core.tree.getChildren(top[0]);
    equal(modules.length, index.course.months[0].modules.length, 'modules under the first month');
  });

  it('opens a lesson in a webview panel and renders its Markdown there', async () => {
    const core = await activate();
    const index = (await core.model.load()).index!;
    const lesson = index.lessons[0];
    const markdown = await readCurriculum(lesson.path);
    // A heading of the lesson's own text, so the check follows the curriculum, not this test.
    const heading = /^## ([A-Za-z0-9 ,-]+)$/m.exec(markdown)?.[1];
    ok(heading, `no plain "## " heading in ${lesson.path}`);

    const panel = (await vscode.commands.executeCommand('backendCourse.openLesson', lesson.id)) as LessonPanel;
    ok(panel?.panel, 'openLesson returns its panel');
    equal(panel.panel.title, lesson.title, 'panel title');
    const html = panel.panel.webview.html;
    includes(html, `<h1>${escapeHtml(lesson.title)}</h1>`, 'lesson title in the page');
    ok(new RegExp(`<h2 id="[^"]+">${heading}</h2>`).test(html), `heading "${heading}" rendered from ${lesson.path}`);
    if (/^```[a-z]+$/m.test(markdown)) includes(html, '<span class="hljs-', 'highlighted code');
    includes(html, "script-src 'nonce-", 'the page runs under a nonce CSP');
    // The page script posts `ready` once the browser has loaded and shown the page.
    await eventually(() => (panel as unknown as { ready: boolean }).ready, 'the lesson page to report that it loaded');
    await vscode.commands.executeCommand('backendCourse.markComplete', lesson.id);
    ok(lesson.id in core.store.snapshot.lessons, 'marking the lesson complete is recorded');
  });

  it('saves a reflection answer and exports the journal through workspace.fs', async () => {
    const core = await activate();
    const index = (await core.model.load()).index!;
    const mod = index.course.months[0].modules[0];
    const panel = (await vscode.commands.executeCommand('backendCourse.openReflection', mod.id)) as vscode.WebviewPanel;
    includes(panel.webview.html, '<textarea id="prompt-0"', 'reflection prompts page');
    await vscode.commands.executeCommand('backendCourse.answerPrompt', mod.prompts[0].id, 'Written in the browser: processes isolate faults.');

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    ok(folder, 'the web test run opens a workspace folder');
    const target = vscode.Uri.joinPath(folder, `journal-${Date.now()}.md`);
    equal(String(await vscode.commands.executeCommand('backendCourse.exportJournal', target)), String(target), 'exported file');
    const journal = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    includes(journal, '# Reflection journal: ', 'journal heading');
    includes(journal, 'Written in the browser: processes isolate faults.', 'the answer in the journal');
  });
});
