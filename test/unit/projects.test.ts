import * as assert from 'assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MARKER_FILE, ScaffoldError, assertSafeRelative, listTemplate, readMarker, scaffold } from '../../src/projects/scaffold';
import { parseTestOutput, stageOf, summarise } from '../../src/projects/testResults';
import { checkTool } from '../../src/projects/toolchain';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'scaffold-test-'));
}

function template(): { dir: string; brief: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'starter', 'src'), { recursive: true });
  mkdirSync(path.join(dir, 'starter', 'tests'));
  mkdirSync(path.join(dir, 'starter', 'target', 'debug'), { recursive: true });
  writeFileSync(path.join(dir, 'starter', 'Cargo.toml'), '[package]\nname = "x"\n');
  writeFileSync(path.join(dir, 'starter', 'Cargo.lock'), 'lock');
  writeFileSync(path.join(dir, 'starter', 'src', 'lib.rs'), 'pub fn f() { todo!() }\n');
  writeFileSync(path.join(dir, 'starter', 'tests', 'stage1_f.rs'), '#[test] fn stage1_f() {}\n');
  writeFileSync(path.join(dir, 'starter', 'target', 'debug', 'junk'), 'x');
  writeFileSync(path.join(dir, 'brief.md'), '# Brief\n');
  return { dir: path.join(dir, 'starter'), brief: path.join(dir, 'brief.md') };
}

describe('scaffolding a project', () => {
  it('copies the starter, adds the brief as README.md and a marker, skips build products', async () => {
    const t = template();
    const target = path.join(tempDir(), 'network-scanner');
    const progress: number[] = [];
    const result = await scaffold({ projectId: 'network-scanner', curriculumVersion: '0.1.0', starterDir: t.dir, briefFile: t.brief, target, now: new Date('2026-11-25T00:00:00Z'), onProgress: (d) => progress.push(d) });
    assert.strictEqual(result.files, 3);
    assert.deepStrictEqual(readdirSync(target).sort(), [MARKER_FILE, 'Cargo.toml', 'README.md', 'src', 'tests']);
    assert.strictEqual(readFileSync(path.join(target, 'README.md'), 'utf8'), '# Brief\n');
    assert.deepStrictEqual(await readMarker(target), { projectId: 'network-scanner', curriculumVersion: '0.1.0', scaffoldedAt: '2026-11-25T00:00:00.000Z' });
    assert.deepStrictEqual(progress, [1, 2, 3, 5]);
  });

  it('refuses a non-empty target and leaves it untouched', async () => {
    const t = template();
    const target = tempDir();
    writeFileSync(path.join(target, 'mine.txt'), 'my work');
    await assert.rejects(scaffold({ projectId: 'p', curriculumVersion: '1', starterDir: t.dir, briefFile: t.brief, target }), (e: ScaffoldError) => e.kind === 'target-not-empty' && /not empty/.test(e.message));
    assert.deepStrictEqual(readdirSync(target), ['mine.txt']);
  });

  it('accepts an existing empty folder', async () => {
    const t = template();
    const target = tempDir();
    await scaffold({ projectId: 'p', curriculumVersion: '1', starterDir: t.dir, briefFile: t.brief, target });
    assert.ok(existsSync(path.join(target, 'src', 'lib.rs')));
  });

  it('rejects template paths that would escape the target', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a//b', 'a\\..\\..\\x']) {
      assert.throws(() => assertSafeRelative(bad), ScaffoldError, bad);
    }
    assert.doesNotThrow(() => assertSafeRelative('src/lib.rs'));
  });

  it('rejects a template that contains a symbolic link', async () => {
    const t = template();
    symlinkSync('/etc/passwd', path.join(t.dir, 'src', 'evil'));
    await assert.rejects(listTemplate(t.dir), /symbolic link/);
  });

  it('removes what it wrote when a copy fails half-way, and says why', async () => {
    const t = template();
    const parent = tempDir();
    const target = path.join(parent, 'project');
    let calls = 0;
    const failing = async (from: string, to: string) => {
      if (++calls === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      writeFileSync(to, readFileSync(from));
    };
    await assert.rejects(
      scaffold({ projectId: 'p', curriculumVersion: '1', starterDir: t.dir, briefFile: t.brief, target, copyFile: failing }),
      (e: ScaffoldError) => e.kind === 'io' && /the disk is full/.test(e.message) && /Nothing was left behind/.test(e.message),
    );
    assert.deepStrictEqual(readdirSync(parent), [], 'the target folder it created is gone');
  });

  it('keeps a pre-existing empty target folder after cleaning up a failure', async () => {
    const t = template();
    const target = tempDir();
    const failing = async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    await assert.rejects(scaffold({ projectId: 'p', curriculumVersion: '1', starterDir: t.dir, briefFile: t.brief, target, copyFile: failing }), /permission denied/);
    assert.ok(existsSync(target));
    assert.deepStrictEqual(readdirSync(target), []);
    rmSync(target, { recursive: true });
  });
});

describe('toolchain detection', () => {
  it('reports the version of a tool that exists', async () => {
    const status = await checkTool({ command: 'node', versionArgs: ['--version'], name: 'Node', installUrl: 'https://nodejs.org' });
    assert.ok(status.found);
    if (status.found) assert.strictEqual(status.version, process.version);
  });

  it('reports a missing tool with the reason, never throwing', async () => {
    const status = await checkTool({ command: 'cargo', versionArgs: ['--version'], name: 'Rust', installUrl: 'https://rustup.rs' }, { env: { PATH: tempDir() } });
    assert.strictEqual(status.found, false);
    if (!status.found) assert.strictEqual(status.reason, '`cargo` is not on the PATH');
  });

  it('reports a tool that fails', async () => {
    const status = await checkTool({ command: 'node', versionArgs: ['-e', 'console.error("broken install"); process.exit(3)'], name: 'Node', installUrl: 'https://nodejs.org' });
    assert.strictEqual(status.found, false);
    if (!status.found) assert.match(status.reason, /failed: broken install/);
  });
});

describe('reading test results by stage', () => {
  const stages = [1, 2, 3].map((n) => ({ id: `s${n}`, title: `S${n}`, summary: '', hints: [], files: [] }));

  it('reads cargo test output', () => {
    const out = [
      'running 2 tests',
      'test stage1_parses_single_port ... ok',
      'test stage1_rejects_zero ... ok',
      'test result: ok. 2 passed; 0 failed',
      'running 2 tests',
      'test stage2_probe_open ... ok',
      'test stage2_probe_closed ... FAILED',
      'test stage2_slow ... ignored',
    ].join('\n');
    const outcomes = parseTestOutput(out);
    assert.strictEqual(outcomes.length, 4);
    assert.deepStrictEqual(summarise(outcomes, stages), { stagesPassed: 1, stagesTotal: 3, testsPassed: 3, testsFailed: 1 });
  });

  it('reads ExUnit output with numbered failures', () => {
    const out = [
      '  * test stage 1: parses NICK (0.02ms) [L#10]',
      '  * test stage 2: broadcasts to members (1.1ms) [L#20]',
      '',
      '  1) test stage 2: replays history on join (RealtimeChat.RoomTest)',
      '     test/stage2_room_test.exs:31',
    ].join('\n');
    assert.deepStrictEqual(summarise(parseTestOutput(out), stages), { stagesPassed: 1, stagesTotal: 3, testsPassed: 2, testsFailed: 1 });
  });

  it('finds the stage in the usual naming styles', () => {
    assert.strictEqual(stageOf('stage3_scan_is_bounded'), 3);
    assert.strictEqual(stageOf('stage 12: fault tolerance'), 12);
    assert.strictEqual(stageOf('tests::stage2::probe'), 2);
    assert.strictEqual(stageOf('backstage_pass'), undefined);
  });

  it('counts no stage as passed when a stage has no tests in the output', () => {
    assert.strictEqual(summarise(parseTestOutput('test stage2_x ... ok'), stages).stagesPassed, 0);
  });
});

describe('recording a test run in progress', () => {
  const { ProgressStore } = require('../../src/progress/store') as typeof import('../../src/progress/store');
  const { recordRun } = require('../../src/projects/recordRun') as typeof import('../../src/projects/recordRun');
  const project = {
    id: 'scanner', title: 'Scanner', moduleId: 'm', language: 'rust' as const, summary: '', toolchain: [], testCommand: 'cargo test', prompts: [], dir: 'projects/scanner',
    stages: [1, 2, 3].map((n) => ({ id: `s${n}`, title: `S${n}`, summary: '', hints: [], files: [] })),
  };
  const memento = () => {
    const m = new Map<string, unknown>();
    return { get: <T>(k: string) => m.get(k) as T, update: async (k: string, v: unknown) => void m.set(k, v) };
  };

  it('records a failing run with the stages that pass', async () => {
    const { store } = await ProgressStore.open(memento(), { backup: async () => '' });
    const r = await recordRun(store, project, { exitCode: 101, outcomes: [{ name: 'stage1_a', passed: true }, { name: 'stage2_b', passed: false }] }, '/work/scanner');
    assert.deepStrictEqual(r, { firstPass: false, stagesPassed: 1, stagesTotal: 3 });
    const p = store.snapshot.projects.scanner;
    assert.strictEqual(p.state, 'failing');
    assert.strictEqual(p.folder, '/work/scanner');
    assert.deepStrictEqual({ ...p.lastRun, at: undefined }, { at: undefined, exitCode: 101, stagesPassed: 1, stagesTotal: 3 });
  });

  it('records a run of some stages on top of what earlier runs said, and never as passing', async () => {
    const { store } = await ProgressStore.open(memento(), { backup: async () => '' });
    await recordRun(store, project, { exitCode: 101, outcomes: [{ name: 'stage1_a', passed: true }, { name: 'stage2_b', passed: false }] });
    // Stage 2 alone, now passing: stage 1 is still known to pass, so two stages pass.
    let r = await recordRun(store, project, { exitCode: 0, outcomes: [{ name: 'stage2_b', passed: true }] }, undefined, [2]);
    assert.deepStrictEqual(r, { firstPass: false, stagesPassed: 2, stagesTotal: 3 });
    // Stage 3 alone passing, exit 0: still not a pass of the project (only a full run can be).
    r = await recordRun(store, project, { exitCode: 0, outcomes: [{ name: 'stage3_c', passed: true }] }, undefined, [3]);
    assert.deepStrictEqual(r, { firstPass: false, stagesPassed: 3, stagesTotal: 3 });
    assert.strictEqual(store.snapshot.projects.scanner.state, 'failing');
    // A regression in stage 1 found by a partial run lowers the count.
    r = await recordRun(store, project, { exitCode: 101, outcomes: [{ name: 'stage1_a', passed: false }] }, undefined, [1]);
    assert.strictEqual(r.stagesPassed, 0);
  });

  it('records exit 0 as passing every stage, and only the first pass as first', async () => {
    const { store } = await ProgressStore.open(memento(), { backup: async () => '' });
    assert.strictEqual((await recordRun(store, project, { exitCode: 0, outcomes: [] })).firstPass, true);
    assert.strictEqual(store.snapshot.projects.scanner.state, 'passing');
    assert.strictEqual(store.snapshot.projects.scanner.lastRun?.stagesPassed, 3);
    assert.strictEqual((await recordRun(store, project, { exitCode: 0, outcomes: [] })).firstPass, false);
    await recordRun(store, project, { exitCode: 1, outcomes: [] });
    assert.strictEqual(store.snapshot.projects.scanner.state, 'failing');
    assert.ok(store.snapshot.projects.scanner.passedAt, 'the first pass is remembered');
  });
});
