import * as assert from 'assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Stage } from '../../src/curriculum/types';
import { applyPlan, BACKUP_DIR, RestoreError } from '../../src/projects/restoreFiles';
import { planResetProject, planResetStage, planSkip, skippedAfter, StagePlanError } from '../../src/projects/stagePlan';

const stage = (n: number, files: string[]): Stage => ({ id: `s${n}`, title: `Stage ${n}`, summary: '', hints: [], files });

/** Stage 1 writes ports.rs, stage 2 probe.rs, stage 3 scan.rs and extends probe.rs. */
const STAGES = [stage(1, ['src/ports.rs']), stage(2, ['src/probe.rs']), stage(3, ['src/scan.rs', 'src/probe.rs'])];

describe('stage plans (what skip and reset replace)', () => {
  it('skipping to stage N applies the solution of the files of stages 1..N-1, naming later stages that share a file', () => {
    const plan = planSkip(STAGES, 3);
    assert.deepStrictEqual(plan.files, [
      { rel: 'src/ports.rs', from: 'solution', alsoIn: [] },
      { rel: 'src/probe.rs', from: 'solution', alsoIn: [3] },
    ]);
    assert.strictEqual(plan.label, 'skip-to-stage-3');
    assert.deepStrictEqual(planSkip(STAGES, 2).files.map((f) => f.rel), ['src/ports.rs']);
  });

  it('resetting a stage restores the starter of its own files and names the other stages in them', () => {
    const plan = planResetStage(STAGES, 3);
    assert.deepStrictEqual(plan.files, [
      { rel: 'src/probe.rs', from: 'starter', alsoIn: [2] },
      { rel: 'src/scan.rs', from: 'starter', alsoIn: [] },
    ]);
  });

  it('stops a shared file at the stage snapshot when there is one, so the later stage is not given away', () => {
    const snapshots = new Set(['stages/s2/src/probe.rs']);
    assert.deepStrictEqual(planSkip(STAGES, 3, snapshots).files, [
      { rel: 'src/ports.rs', from: 'solution', alsoIn: [] },
      { rel: 'src/probe.rs', from: 'stages/s2', alsoIn: [] },
    ]);
    // Resetting stage 3 takes probe.rs back to the state after stage 2, not to the starter.
    assert.deepStrictEqual(planResetStage(STAGES, 3, snapshots).files, [
      { rel: 'src/probe.rs', from: 'stages/s2', alsoIn: [] },
      { rel: 'src/scan.rs', from: 'starter', alsoIn: [] },
    ]);
    // Stage 2's own reset still goes back to the starter, and says stage 3's part goes with it.
    assert.deepStrictEqual(planResetStage(STAGES, 2, snapshots).files, [{ rel: 'src/probe.rs', from: 'starter', alsoIn: [3] }]);
  });

  it('keeps an honest record of skipped stages', () => {
    const skip3 = planSkip(STAGES, 3);
    assert.deepStrictEqual(skippedAfter(STAGES, skip3, [], 0), ['s1', 's2'], 'nothing passed yet: both earlier stages are skipped');
    assert.deepStrictEqual(skippedAfter(STAGES, skip3, [], 1), ['s2'], 'a stage the learner passed is not recorded as skipped');
    assert.deepStrictEqual(skippedAfter(STAGES, planResetStage(STAGES, 2), ['s1', 's2'], 0), ['s1'], 'resetting a stage takes it back');
    assert.deepStrictEqual(skippedAfter(STAGES, planResetProject([], []), ['s1', 's2'], 0), []);
  });

  it('resetting the project covers every starter and solution file once', () => {
    const plan = planResetProject(['Cargo.toml', 'src/lib.rs', 'src/ports.rs'], ['src/ports.rs', 'src/extra.rs']);
    assert.deepStrictEqual(plan.files.map((f) => f.rel), ['Cargo.toml', 'src/extra.rs', 'src/lib.rs', 'src/ports.rs']);
    assert.ok(plan.files.every((f) => f.from === 'starter'));
  });

  it('refuses stages that do not exist, skipping to stage 1, and manifests without stage files', () => {
    assert.throws(() => planSkip(STAGES, 4), (e: Error) => e instanceof StagePlanError && /no stage 4.*1 to 3/.test(e.message));
    assert.throws(() => planSkip(STAGES, 1), /nothing before it to skip/);
    assert.throws(() => planResetStage(STAGES, 0), /no stage 0/);
    assert.throws(() => planSkip([stage(1, []), stage(2, [])], 2), /does not say which files.*Reset Project still works/);
  });
});

describe('applying a plan (backups first, never losing the learner\'s version)', () => {
  function setup() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'stage-files-'));
    const write = (rel: string, text: string) => {
      const file = path.join(root, ...rel.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    write('starter/src/ports.rs', 'ports todo');
    write('starter/src/probe.rs', 'probe todo');
    write('starter/src/scan.rs', 'scan todo');
    write('solution/src/ports.rs', 'ports done');
    write('solution/src/probe.rs', 'probe done');
    write('solution/src/scan.rs', 'scan done');
    write('mine/src/ports.rs', 'my ports');
    write('mine/src/probe.rs', 'probe todo');
    write('mine/src/notes.md', 'my notes');
    const read = (rel: string) => readFileSync(path.join(root, 'mine', ...rel.split('/')), 'utf8');
    return { root, write, read, req: { folder: path.join(root, 'mine'), templateDir: root, now: new Date('2026-11-25T10:00:00Z') } };
  }

  it('skip: replaces the earlier stages\' files, backs up only what changed, leaves other files alone', async () => {
    const t = setup();
    const result = await applyPlan({ ...t.req, plan: planSkip(STAGES, 3) });
    assert.deepStrictEqual(result.replaced, ['src/ports.rs', 'src/probe.rs']);
    assert.strictEqual(t.read('src/ports.rs'), 'ports done');
    assert.strictEqual(t.read('src/probe.rs'), 'probe done');
    assert.strictEqual(t.read('src/notes.md'), 'my notes');
    assert.ok(!existsSync(path.join(t.req.folder, 'src', 'scan.rs')), 'stage 3 is untouched');
    assert.strictEqual(result.backupDir, path.join(t.req.folder, BACKUP_DIR, '2026-11-25T10-00-00-000Z-skip-to-stage-3'));
    assert.strictEqual(readFileSync(path.join(result.backupDir!, 'src', 'ports.rs'), 'utf8'), 'my ports');
    assert.strictEqual(readFileSync(path.join(result.backupDir!, 'src', 'probe.rs'), 'utf8'), 'probe todo');
    assert.match(readFileSync(path.join(t.req.folder, BACKUP_DIR, '.gitignore'), 'utf8'), /^\*$/m);
  });

  it('reset stage: restores the starter, creates a missing file, and a second reset in the same instant gets its own backup', async () => {
    const t = setup();
    t.write('mine/src/scan.rs', 'my scan');
    const first = await applyPlan({ ...t.req, plan: planResetStage(STAGES, 3) });
    assert.deepStrictEqual(first.replaced, ['src/scan.rs']);
    assert.deepStrictEqual(first.unchanged, ['src/probe.rs']);
    assert.strictEqual(t.read('src/scan.rs'), 'scan todo');
    t.write('mine/src/scan.rs', 'my second try');
    const second = await applyPlan({ ...t.req, plan: planResetStage(STAGES, 3) });
    assert.notStrictEqual(second.backupDir, first.backupDir);
    assert.strictEqual(readFileSync(path.join(first.backupDir!, 'src', 'scan.rs'), 'utf8'), 'my scan');
    assert.strictEqual(readFileSync(path.join(second.backupDir!, 'src', 'scan.rs'), 'utf8'), 'my second try');

    const deleted = setup();
    const restored = await applyPlan({ ...deleted.req, plan: planResetStage(STAGES, 3) });
    assert.deepStrictEqual(restored.created, ['src/scan.rs']);
    assert.strictEqual(restored.backupDir, undefined, 'nothing to keep, so no backup folder');
  });

  it('applies a stage snapshot from stages/<id>/', async () => {
    const t = setup();
    t.write('stages/s2/src/probe.rs', 'probe after stage 2');
    const result = await applyPlan({ ...t.req, plan: planSkip(STAGES, 3, new Set(['stages/s2/src/probe.rs'])) });
    assert.deepStrictEqual(result.replaced, ['src/ports.rs', 'src/probe.rs']);
    assert.strictEqual(t.read('src/probe.rs'), 'probe after stage 2');

    // A snapshot the plan names but the course lacks stops everything before a file changes.
    const u = setup();
    const plan = planSkip(STAGES, 3, new Set(['stages/s2/src/probe.rs']));
    await assert.rejects(applyPlan({ ...u.req, plan }), (e: Error) => e instanceof RestoreError && /no src\/probe\.rs/.test(e.message));
    assert.strictEqual(u.read('src/ports.rs'), 'my ports');
  });

  it('reset project: a file only the solution has is moved into the backup, not deleted', async () => {
    const t = setup();
    t.write('solution/src/extra.rs', 'extra');
    t.write('mine/src/extra.rs', 'my extra');
    const result = await applyPlan({ ...t.req, plan: planResetProject(['src/ports.rs', 'src/probe.rs', 'src/scan.rs'], ['src/extra.rs']) });
    assert.deepStrictEqual(result.removed, ['src/extra.rs']);
    assert.ok(!existsSync(path.join(t.req.folder, 'src', 'extra.rs')));
    assert.strictEqual(readFileSync(path.join(result.backupDir!, 'src', 'extra.rs'), 'utf8'), 'my extra');
    assert.strictEqual(t.read('src/notes.md'), 'my notes');
  });

  it('changes nothing when a file cannot be read safely (a symbolic link, a folder) or the solution lacks a listed file', async () => {
    const t = setup();
    symlinkSync(path.join(t.root, 'starter', 'src', 'probe.rs'), path.join(t.req.folder, 'src', 'scan.rs'));
    await assert.rejects(applyPlan({ ...t.req, plan: planResetStage(STAGES, 3) }), (e: Error) => e instanceof RestoreError && /symbolic link.*Nothing was changed/.test(e.message));
    assert.strictEqual(t.read('src/probe.rs'), 'probe todo');
    assert.ok(!existsSync(path.join(t.req.folder, BACKUP_DIR)));

    const u = setup();
    mkdirSync(path.join(u.req.folder, 'src', 'ports.rs.d'));
    const missing = [stage(1, ['src/gone.rs']), stage(2, [])];
    await assert.rejects(applyPlan({ ...u.req, plan: planSkip(missing, 2) }), /reference solution has no src\/gone\.rs.*Nothing was changed/);
    assert.deepStrictEqual(readdirSync(path.join(u.req.folder, 'src')).sort(), ['notes.md', 'ports.rs', 'ports.rs.d', 'probe.rs']);
  });

  it('keeps the backups when writing fails half-way and says where they are', async () => {
    const t = setup();
    const written: string[] = [];
    const writeFile = async (file: string, data: Buffer) => {
      if (file.endsWith('probe.rs')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      written.push(path.basename(file));
      writeFileSync(file, data);
    };
    await assert.rejects(
      applyPlan({ ...t.req, plan: planSkip(STAGES, 3), writeFile }),
      (e: Error) => e instanceof RestoreError && /Could not write src\/probe\.rs: permission denied.*Your versions of the files are in .*skip-to-stage-3\./.test(e.message),
    );
    assert.deepStrictEqual(written, ['ports.rs'], 'the first file was written before the failure');
    const backup = path.join(t.req.folder, BACKUP_DIR, '2026-11-25T10-00-00-000Z-skip-to-stage-3');
    assert.strictEqual(readFileSync(path.join(backup, 'src', 'ports.rs'), 'utf8'), 'my ports', 'the overwritten file is in the backup');
    assert.strictEqual(readFileSync(path.join(backup, 'src', 'probe.rs'), 'utf8'), 'probe todo');
  });
});
