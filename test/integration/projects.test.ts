import * as assert from 'assert';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

/** The project with no third-party crates, so its cargo build needs no registry at all. */
const PROJECT = 'network-scanner';

describe('projects', () => {
  let target: vscode.Uri;

  it('scaffolds the starter into a new folder, with the brief, a marker and a git repository', async () => {
    const api = await activateExtension();
    target = vscode.Uri.file(path.join(mkdtempSync(path.join(os.tmpdir(), 'course-projects-')), PROJECT));
    const result = (await vscode.commands.executeCommand('backendCourse.scaffoldProject', PROJECT, { target, open: false })) as vscode.Uri;
    assert.strictEqual(result?.fsPath, target.fsPath);
    assert.ok(existsSync(path.join(target.fsPath, 'Cargo.toml')));
    assert.ok(existsSync(path.join(target.fsPath, 'src', 'lib.rs')));
    assert.match(readFileSync(path.join(target.fsPath, 'README.md'), 'utf8'), /^# Mini Network Scanner/);
    assert.strictEqual(JSON.parse(readFileSync(path.join(target.fsPath, '.backend-course.json'), 'utf8')).projectId, PROJECT);
    assert.ok(existsSync(path.join(target.fsPath, '.git')), 'a git repository was created');
    assert.strictEqual(api.store.snapshot.projects[PROJECT].state, 'scaffolded');
  });

  it('refuses to scaffold into the same, now non-empty, folder', async () => {
    const before = readFileSync(path.join(target.fsPath, 'src', 'lib.rs'), 'utf8');
    const result = await vscode.commands.executeCommand('backendCourse.scaffoldProject', PROJECT, { target, open: false });
    assert.strictEqual(result, undefined);
    assert.strictEqual(readFileSync(path.join(target.fsPath, 'src', 'lib.rs'), 'utf8'), before);
  });

  it('runs the starter\'s tests as a task and records them as failing', async function () {
    this.timeout(240000); // a cold cargo build
    const api = await activateExtension();
    const result = (await vscode.commands.executeCommand('backendCourse.runProjectTests', PROJECT)) as { exitCode: number; outcomes: { name: string; passed: boolean }[] };
    assert.ok(result, 'the run happened');
    assert.notStrictEqual(result.exitCode, 0);
    assert.ok(result.outcomes.some((o) => o.name.startsWith('stage1_') && !o.passed), 'stage 1 tests were seen failing');
    const state = api.store.snapshot.projects[PROJECT];
    assert.strictEqual(state.state, 'failing');
    assert.strictEqual(state.lastRun?.stagesPassed, 0);
    assert.strictEqual(state.lastRun?.stagesTotal, 5);
  });

  it('checks every toolchain the course needs and finds the ones on this machine', async () => {
    const statuses = (await vscode.commands.executeCommand('backendCourse.checkToolchains')) as { tool: { command: string }; found: boolean; version?: string }[];
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const cargo = statuses.find((s) => s.tool.command === 'cargo');
    assert.ok(cargo?.found, 'cargo is found');
    assert.match(cargo!.version!, /^cargo \d+\.\d+/);
    assert.ok(statuses.some((s) => s.tool.command === 'mix'), 'mix is among the tools checked');
  });
});
