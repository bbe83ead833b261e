import * as assert from 'assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../src/projects/restoreFiles';
import { activateExtension, eventually } from './helpers';

/** No third-party crates: its cargo build needs no registry. */
const PROJECT = 'network-scanner';
const NO_CONFIRM = { confirm: false };

describe('skip ahead and reset (the learner\'s version is always kept)', function () {
  this.timeout(240000); // a cold cargo build
  let folder: vscode.Uri;
  let starter: string;
  let solution: string;
  let stageFiles: string[][];
  let stageIds: string[];

  const mine = (rel: string) => readFileSync(path.join(folder.fsPath, ...rel.split('/')), 'utf8');
  const template = (dir: string, rel: string) => readFileSync(path.join(dir, ...rel.split('/')), 'utf8');
  const backups = () => readdirSync(path.join(folder.fsPath, '.course-backups')).filter((n) => n !== '.gitignore').sort();

  before(async () => {
    const core = await activateExtension();
    await core.store.start();
    folder = vscode.Uri.file(path.join(mkdtempSync(path.join(os.tmpdir(), 'course-stages-')), PROJECT));
    assert.ok(await vscode.commands.executeCommand('backendCourse.scaffoldProject', PROJECT, { target: folder, open: false }), 'the project was scaffolded');
    const project = (await core.model.require()).project(PROJECT)!;
    const dir = vscode.Uri.joinPath(core.model.root, ...project.dir.split('/'));
    starter = vscode.Uri.joinPath(dir, 'starter').fsPath;
    solution = vscode.Uri.joinPath(dir, 'solution').fsPath;
    stageFiles = project.stages.map((s) => [...s.files]);
    stageIds = project.stages.map((s) => s.id);
    assert.ok(stageFiles.length >= 3 && stageFiles.every((f) => f.length > 0), `every stage of ${PROJECT} lists its files: ${JSON.stringify(stageFiles)}`);
  });

  after(async () => {
    await (await activateExtension()).store.reset();
  });

  it('skips to stage 3: the earlier stages\' files become the reference, the learner\'s edits go to a backup', async () => {
    const [first] = stageFiles[0];
    writeFileSync(path.join(folder.fsPath, ...first.split('/')), '// my own attempt at stage 1\n');
    writeFileSync(path.join(folder.fsPath, 'NOTES.md'), 'my notes\n');

    const result = (await vscode.commands.executeCommand('backendCourse.skipToStage', PROJECT, 3, NO_CONFIRM)) as ApplyResult;
    assert.ok(result, 'the skip ran');
    const applied = [...new Set([...stageFiles[0], ...stageFiles[1]])].sort();
    assert.deepStrictEqual([...result.replaced, ...result.created, ...result.unchanged].sort(), applied);
    for (const rel of applied) assert.strictEqual(mine(rel), template(solution, rel), `${rel} is the reference version`);
    for (const rel of stageFiles[2].filter((f) => !applied.includes(f))) assert.strictEqual(mine(rel), template(starter, rel), `${rel} (stage 3) is untouched`);
    assert.strictEqual(mine('NOTES.md'), 'my notes\n', 'a file the course does not provide is left alone');
    assert.ok(result.backupDir && existsSync(result.backupDir));
    assert.strictEqual(readFileSync(path.join(result.backupDir, ...first.split('/')), 'utf8'), '// my own attempt at stage 1\n', 'the learner\'s version is in the backup');

    // Progress says so: the two stages were skipped, not written.
    const core = await activateExtension();
    assert.deepStrictEqual(core.store.snapshot.projects[PROJECT].stagesSkipped, stageIds.slice(0, 2));
    const project = (await core.model.require()).project(PROJECT)!;
    assert.match(String((await core.tree.getTreeItem({ kind: 'project', project })).description), /2 stages skipped/);
  });

  it('after the skip, stages 1 and 2 pass and stage 3 is still the learner\'s to write', async () => {
    const core = await activateExtension();
    const outcomes = await core.tests.runStages('all');
    const outcome = outcomes.find((o) => o.projectId === PROJECT);
    assert.ok(outcome, `the project ran (${outcomes.map((o) => o.projectId).join(', ')})`);
    const verdicts = (n: number) => outcome.verdicts.filter((v) => v.test.stage === n);
    for (const n of [1, 2]) {
      assert.ok(verdicts(n).length > 0 && verdicts(n).every((v) => v.kind === 'passed'), `stage ${n} passes: ${JSON.stringify(verdicts(n).map((v) => [v.test.name, v.kind]))}`);
    }
    assert.ok(verdicts(3).some((v) => v.kind !== 'passed'), 'stage 3 still fails');
    assert.strictEqual(core.store.snapshot.projects[PROJECT].lastRun?.stagesPassed, 2);
  });

  it('resets stage 1 from its row in the Testing view: starter code back, the skipped-in version kept too', async () => {
    const core = await activateExtension();
    const entry = await eventually(async () => (await core.tests.projects()).find((e) => e.project.id === PROJECT && e.item.children.size > 0), 'the project in the Testing view');
    const stageRow = entry.item.children.get(`${entry.item.id}|stage:1`);
    assert.ok(stageRow, 'the Testing view has a row for stage 1');
    const before = backups().length;

    const result = (await vscode.commands.executeCommand('backendCourse.resetStage', stageRow, undefined, NO_CONFIRM)) as ApplyResult;
    assert.ok(result, 'the reset ran');
    for (const rel of stageFiles[0]) assert.strictEqual(mine(rel), template(starter, rel), `${rel} is the starter version again`);
    assert.strictEqual(backups().length, before + 1, 'a new backup, the earlier one untouched');
    assert.deepStrictEqual(core.store.snapshot.projects[PROJECT].stagesSkipped, [stageIds[1]], 'stage 1 is the learner\'s again');
    const [first] = stageFiles[0];
    assert.strictEqual(readFileSync(path.join(result.backupDir!, ...first.split('/')), 'utf8'), template(solution, first));
  });

  it('resets the whole project: every course file to its starter, the learner\'s own files kept, nothing lost', async () => {
    // A test the learner added to a course test file: the Testing view shows it until the reset.
    const core = await activateExtension();
    const testFile = path.join(folder.fsPath, 'tests', 'stage1_ports.rs');
    writeFileSync(testFile, `${readFileSync(testFile, 'utf8')}\n#[test]\nfn stage1_added_by_the_learner() {}\n`);
    const entry = (await core.tests.projects()).find((e) => e.project.id === PROJECT)!;
    // What the Testing view shows now, read from its items (not discovered again here).
    const stage1Tests = () => {
      const names: string[] = [];
      entry.item.children.get(`${entry.item.id}|stage:1`)?.children.forEach((t) => void names.push(t.label));
      return names;
    };
    assert.ok(stage1Tests().includes('stage1_added_by_the_learner'));

    const result = (await vscode.commands.executeCommand('backendCourse.resetProject', vscode.Uri.file(folder.fsPath), NO_CONFIRM)) as ApplyResult;
    assert.ok(result, 'the reset ran');
    for (const rel of new Set(stageFiles.flat())) assert.strictEqual(mine(rel), template(starter, rel), `${rel} is the starter version`);
    assert.strictEqual(mine('NOTES.md'), 'my notes\n');
    assert.strictEqual(core.store.snapshot.projects[PROJECT].stagesSkipped, undefined, 'a fresh start has nothing skipped');
    await eventually(() => stage1Tests().length > 0 && !stage1Tests().includes('stage1_added_by_the_learner'), 'the Testing view to drop the test the reset took out');
    assert.ok(existsSync(path.join(folder.fsPath, '.backend-course.json')) && existsSync(path.join(folder.fsPath, 'README.md')));
    // stage 2's reference files were replaced, so they are in this reset's backup
    for (const rel of stageFiles[1]) assert.strictEqual(readFileSync(path.join(result.backupDir!, ...rel.split('/')), 'utf8'), template(solution, rel));
    assert.strictEqual(backups().length, 3, 'one backup per operation');
    assert.match(readFileSync(path.join(folder.fsPath, '.course-backups', '.gitignore'), 'utf8'), /^\*$/m);

    const again = (await vscode.commands.executeCommand('backendCourse.resetProject', vscode.Uri.file(folder.fsPath), NO_CONFIRM)) as ApplyResult;
    assert.deepStrictEqual([again.replaced, again.created, again.removed, again.backupDir], [[], [], [], undefined], 'a second reset has nothing to do');
  });

  it('refuses to replace a file with unsaved changes, and changes nothing', async () => {
    const [first] = stageFiles[0];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.fsPath, ...first.split('/'))));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// unsaved\n'));
    const count = backups().length;
    const result = await vscode.commands.executeCommand('backendCourse.skipToStage', PROJECT, 2, NO_CONFIRM);
    assert.strictEqual(result, undefined, 'the command stopped (its message asks to save or revert first)');
    assert.strictEqual(mine(first), template(starter, first));
    assert.strictEqual(backups().length, count);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
