import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CourseNode } from '../../src/tree/courseTree';
import { activateExtension } from './helpers';

describe('course tree', () => {
  it('shows the welcome view (an empty tree) until the course is started', async () => {
    const api = await activateExtension();
    await api.store.reset();
    assert.deepStrictEqual(await api.tree.getChildren(), []);
    await vscode.commands.executeCommand('backendCourse.browse');
    assert.strictEqual((await api.tree.getChildren()).length, 3);
  });

  it('has the three months at the top, expanding to modules, lessons, reflections and projects', async () => {
    const api = await activateExtension();
    await api.store.start();
    const months = await api.tree.getChildren();
    const labels = await Promise.all(months.map(async (m) => (await api.tree.getTreeItem(m)).label));
    assert.deepStrictEqual(labels, ['Month 1: Core Systems', 'Month 2: Advanced Programming', 'Month 3: Architecture & Delivery']);

    const modules: CourseNode[] = [];
    for (const m of months) modules.push(...(await api.tree.getChildren(m)));
    assert.strictEqual(modules.length, 6);
    let lessons = 0;
    let reflections = 0;
    let projects = 0;
    for (const mod of modules) {
      const kinds = (await api.tree.getChildren(mod)).map((c) => c.kind);
      assert.ok(kinds.includes('lesson'), 'every module has lessons');
      assert.ok(kinds.includes('reflection'), 'every module has reflection prompts');
      lessons += kinds.filter((k) => k === 'lesson').length;
      reflections += kinds.filter((k) => k === 'reflection').length;
      projects += kinds.filter((k) => k === 'project').length;
    }
    assert.ok(lessons >= 6);
    assert.strictEqual(reflections, 6);
    assert.strictEqual(projects, 7);
  });

  it('decorates items with progress: a completed lesson gets a check and counts', async () => {
    const api = await activateExtension();
    await api.store.reset();
    await api.store.start();
    const [month] = await api.tree.getChildren();
    const [mod] = await api.tree.getChildren(month);
    const [lesson] = await api.tree.getChildren(mod);
    assert.strictEqual(lesson.kind, 'lesson');
    const before = await api.tree.getTreeItem(mod);
    await vscode.commands.executeCommand('backendCourse.markComplete', lesson);
    const item = await api.tree.getTreeItem(lesson);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.strictEqual(item.contextValue, 'lesson.complete');
    const after = await api.tree.getTreeItem(mod);
    assert.match(String(before.description), /^0\/\d+$/);
    assert.match(String(after.description), /^1\/\d+$/);
    assert.match((after.tooltip as vscode.MarkdownString).value, /Key concepts/);
  });
});
