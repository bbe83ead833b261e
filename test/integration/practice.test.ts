import * as assert from 'assert';
import { cpSync, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { WALKTHROUGH_KEYS } from '../../src/walkthrough/walkthroughContext';
import { activateExtension, eventually, packageJson } from './helpers';

/** No third-party crates: its cargo build needs no registry. */
const PROJECT = 'network-scanner';

describe('practice loop: Testing view, hints, watch mode, walkthrough', function () {
  this.timeout(240000); // cold cargo builds
  let folder: vscode.Uri;

  before(async () => {
    const core = await activateExtension();
    await core.store.start();
    folder = vscode.Uri.file(path.join(mkdtempSync(path.join(os.tmpdir(), 'course-practice-')), PROJECT));
    const made = await vscode.commands.executeCommand('backendCourse.scaffoldProject', PROJECT, { target: folder, open: false });
    assert.ok(made, 'the project was scaffolded');
    assert.strictEqual(core.store.snapshot.projects[PROJECT]?.folder, folder.fsPath);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('backendCourse').update('watchTests', undefined, vscode.ConfigurationTarget.Global);
    // Later suites scaffold the same project and expect it fresh, as a learner's first time.
    await (await activateExtension()).store.reset();
  });

  it('lists the project\'s stages and tests in the Testing view, each test linked to its line', async () => {
    const core = await activateExtension();
    const entries = await eventually(async () => {
      const list = await core.tests.projects();
      return list.some((e) => e.project.id === PROJECT && e.tests.length) ? list : undefined;
    }, 'the scaffolded project in the Testing view').catch(async (e) => {
      const list = await core.tests.projects();
      throw new Error(`${e.message}: ${JSON.stringify(list.map((x) => [x.item.id, x.tests.length]))}; progress: ${JSON.stringify(core.store.snapshot.projects)}`);
    });
    const entry = entries.find((e) => e.project.id === PROJECT)!;
    const stages: vscode.TestItem[] = [];
    entry.item.children.forEach((s) => void stages.push(s));
    assert.deepStrictEqual(stages.map((s) => s.label.replace(/:.*/, '')), ['Stage 1', 'Stage 2', 'Stage 3', 'Stage 4', 'Stage 5']);
    const first: vscode.TestItem[] = [];
    stages[0].children.forEach((t) => void first.push(t));
    assert.ok(first.length >= 3, `stage 1 has ${first.length} tests`);
    const t = first[0];
    assert.ok(t.uri && t.range, 'a test has a source location');
    const line = readFileSync(t.uri.fsPath, 'utf8').split('\n')[t.range.start.line];
    assert.match(line, new RegExp(`fn ${t.label}\\b`));
  });

  it('runs the stages: failing on the starter, recorded like a terminal run', async () => {
    const core = await activateExtension();
    const [outcome] = await core.tests.runStages('all');
    assert.ok(outcome, 'a run happened');
    assert.notStrictEqual(outcome.exitCode, 0);
    const stage1 = outcome.verdicts.filter((v) => v.test.stage === 1);
    assert.ok(stage1.length > 0 && stage1.some((v) => v.kind === 'failed'), 'stage 1 fails on the starter');
    const failed = stage1.find((v) => v.kind === 'failed');
    assert.ok(failed && failed.kind === 'failed' && failed.message.length > 0, 'a failure carries the assertion text');
    assert.strictEqual(core.store.snapshot.projects[PROJECT].state, 'failing');
    assert.strictEqual(core.store.snapshot.projects[PROJECT].lastRun?.stagesPassed, 0);
  });

  it('runs only the current stage when asked', async () => {
    const core = await activateExtension();
    const outcomes = await core.tests.runStages('current');
    assert.strictEqual(outcomes.length, 1, `one project ran (projects: ${(await core.tests.projects()).map((e) => e.item.id).join(', ')}; trusted: ${vscode.workspace.isTrusted}; folders: ${vscode.workspace.workspaceFolders?.map((f) => f.uri.toString()).join(" ")}; marker: ${readFileSync(path.join(folder.fsPath, ".backend-course.json"), "utf8").slice(0, 200)})`);
    const [outcome] = outcomes;
    assert.deepStrictEqual(outcome.stages, [1]);
    assert.ok(outcome.verdicts.length > 0 && outcome.verdicts.every((v) => v.test.stage === 1));
  });

  it('reveals hints for the current stage in order, and the tree counts them', async () => {
    const core = await activateExtension();
    const project = (await core.model.require()).project(PROJECT)!;
    const first = (await vscode.commands.executeCommand('backendCourse.showHint', PROJECT)) as { stage: number; hint: number; text: string };
    const second = (await vscode.commands.executeCommand('backendCourse.showHint', PROJECT)) as { stage: number; hint: number; text: string };
    assert.deepStrictEqual([first.stage, first.hint, second.hint], [1, 1, 2]);
    assert.strictEqual(first.text, project.stages[0].hints[0]);
    assert.strictEqual(second.text, project.stages[0].hints[1]);
    assert.strictEqual(core.store.snapshot.projects[PROJECT].hintsShown?.[project.stages[0].id], 2);
    const node = { kind: 'project' as const, project };
    const item = await core.tree.getTreeItem(node);
    assert.match(String(item.description), /2 hints used/);
  });

  it('passes every stage once the reference solution is in place', async () => {
    const core = await activateExtension();
    const project = (await core.model.require()).project(PROJECT)!;
    const solution = vscode.Uri.joinPath(core.model.root, ...project.dir.split('/'), 'solution');
    cpSync(solution.fsPath, folder.fsPath, { recursive: true });
    const [outcome] = await core.tests.runStages('all');
    assert.strictEqual(outcome.exitCode, 0, 'the solution passes');
    assert.ok(outcome.verdicts.length > 10 && outcome.verdicts.every((v) => v.kind === 'passed'), JSON.stringify(outcome.verdicts.filter((v) => v.kind !== 'passed').map((v) => v.test.name)));
    assert.strictEqual(core.store.snapshot.projects[PROJECT].state, 'passing');
    assert.strictEqual(core.store.snapshot.projects[PROJECT].lastRun?.stagesPassed, 5);
  });

  it('watch mode runs once for a burst of saves in the project', async () => {
    const core = await activateExtension();
    await vscode.workspace.getConfiguration('backendCourse').update('watchTests', true, vscode.ConfigurationTarget.Global);
    const before = core.watch.runs;
    const ran = new Promise((resolve) => {
      const sub = core.tests.onDidRun((o) => {
        sub.dispose();
        resolve(o);
      });
    });
    const file = vscode.Uri.joinPath(folder, 'src', 'lib.rs');
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    for (let i = 0; i < 3; i++) {
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), `// save ${i}\n`));
      await doc.save();
    }
    await ran;
    await new Promise((r) => setTimeout(r, 600));
    assert.strictEqual(core.watch.runs - before, 1, 'three quick saves make one run');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('completes the walkthrough steps on their events', async () => {
    const core = await activateExtension();
    const state = core.walkthrough.state;
    assert.strictEqual(state.scaffoldedProject, true);
    assert.strictEqual(state.ranTests, true);
    const index = await core.model.require();
    await vscode.commands.executeCommand('backendCourse.answerPrompt', index.course.months[0].modules[0].prompts[0].id, 'Processes isolate; threads share.');
    assert.strictEqual(core.walkthrough.state.answeredReflection, true);
    await vscode.commands.executeCommand('backendCourse.openLesson', index.lessons[0].id);
    await eventually(() => core.walkthrough.state.openedLesson, 'the opened-lesson step');
    // Each step's completion event is one the extension raises.
    const walkthrough = (packageJson() as unknown as { contributes: { walkthroughs: { steps: { completionEvents: string[] }[] }[] } }).contributes.walkthroughs[0];
    const events = walkthrough.steps.flatMap((s) => s.completionEvents);
    assert.deepStrictEqual(events, ['onCommand:backendCourse.checkToolchains', ...Object.values(WALKTHROUGH_KEYS).map((k) => `onContext:${k}`)]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
