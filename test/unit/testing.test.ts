import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { discoverTests, exunitTests, rustTests } from '../../src/testing/discovery';
import { mapRun, parseFailures, runnerOf } from '../../src/testing/runMapping';
import { commandFor, currentStage, stagesFor } from '../../src/testing/stageSelection';

const ROOT = path.resolve(__dirname, '../../..');
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/runner-output', name), 'utf8');
const projectDir = (id: string) => path.join(ROOT, 'curriculum/projects', id, 'starter');

describe('test discovery', () => {
  it('finds Rust tests behind #[test] and #[tokio::test], with their stage and line', () => {
    const src = [
      'use x::y;',
      '#[test]',
      'fn stage1_parses() {}',
      '',
      '#[tokio::test(flavor = "multi_thread")]',
      '#[ignore]',
      'async fn stage2_serves() {}',
      '#[derive(Debug)]',
      'struct NotATest;',
      'fn stage3_helper_not_a_test() {}',
    ].join('\n');
    assert.deepStrictEqual(rustTests(src, 'tests/stage1_a.rs'), [
      { name: 'stage1_parses', stage: 1, file: 'tests/stage1_a.rs', line: 2 },
      { name: 'stage2_serves', stage: 2, file: 'tests/stage1_a.rs', line: 6 },
    ]);
  });

  it('names ExUnit tests "<describe> <test>" as mix prints them', () => {
    const src = [
      'defmodule T do',
      '  use ExUnit.Case',
      '  describe "stage 2: rooms" do',
      '    test "joins a room" do',
      '    end',
      '  end',
      '  test "outside any describe" do',
      '  end',
      'end',
    ].join('\n');
    assert.deepStrictEqual(exunitTests(src, 'test/stage2_room_test.exs').map((t) => [t.name, t.stage, t.line]), [
      ['stage 2: rooms joins a room', 2, 3],
      ['outside any describe', 2, 6],
    ]);
  });

  it('finds every stage of the real Rust and Elixir starters', async () => {
    for (const [id, stages] of [['rust-microservice', 5], ['realtime-chat', 5], ['scheduler-emulator', 0]] as const) {
      const tests = await discoverTests(projectDir(id));
      assert.ok(tests.length >= 10, `${id}: only ${tests.length} tests found`);
      assert.ok(tests.every((t) => t.stage !== undefined), `${id}: a test without a stage: ${tests.find((t) => t.stage === undefined)?.name}`);
      if (stages) assert.deepStrictEqual([...new Set(tests.map((t) => t.stage))].sort(), Array.from({ length: stages }, (_, i) => i + 1));
    }
  });
});

describe('mapping a test run onto the tests', () => {
  it('reads cargo failures with the assertion text and the panic location, without the backtrace', () => {
    const failures = parseFailures(fixture('cargo-starter.txt'));
    const f = failures.find((x) => x.name === 'stage1_context_switches_ignore_idle');
    assert.ok(f, 'failure not found');
    assert.strictEqual(f.message, 'not yet implemented');
    assert.deepStrictEqual(f.location, { file: 'src/metrics.rs', line: 69 });
  });

  it('marks cargo tests failed, and tests of a binary that never ran as skipped', async () => {
    const tests = await discoverTests(projectDir('scheduler-emulator'));
    const verdicts = mapRun(tests, fixture('cargo-starter.txt'), 101, 'cargo');
    const stage1 = verdicts.filter((v) => v.test.stage === 1);
    assert.ok(stage1.length > 0 && stage1.every((v) => v.kind === 'failed'), JSON.stringify(stage1.map((v) => v.kind)));
    const shouldPanic = verdicts.find((v) => v.test.name === 'stage1_push_segment_rejects_overlap');
    assert.strictEqual(shouldPanic?.kind, 'failed');
    // cargo stops after the first failing test binary: later stages did not run.
    assert.ok(verdicts.filter((v) => v.test.stage === 2).every((v) => v.kind === 'skipped'));
  });

  it('reads ExUnit failures with their file and line, and counts the rest of the stage as passed', async () => {
    const tests = (await discoverTests(projectDir('realtime-chat'))).filter((t) => t.stage === 2);
    const output = fixture('mix-stage2.txt');
    const failures = parseFailures(output);
    assert.strictEqual(failures.length, 16);
    assert.ok(failures.every((f) => f.location && /^test\/stage2_room_test\.exs$/.test(f.location.file) && f.location.line > 0));
    assert.ok(failures[0].message.length > 10);
    const verdicts = mapRun(tests, output, 2, 'exunit');
    assert.strictEqual(verdicts.filter((v) => v.kind === 'failed').length, 16);
    assert.strictEqual(verdicts.length, tests.length);
  });

  it('turns a build failure into an error on every requested test, quoting the compiler', () => {
    const tests = [{ name: 'stage1_a', stage: 1, file: 'tests/a.rs', line: 0 }];
    const output = '   Compiling x v0.1.0\nerror[E0308]: mismatched types\n --> src/lib.rs:3:5\nerror: could not compile `x` (lib) due to 1 previous error\n';
    const [v] = mapRun(tests, output, 101, 'cargo');
    assert.strictEqual(v.kind, 'errored');
    assert.match(v.kind === 'errored' ? v.message : '', /does not build:\nerror\[E0308\]: mismatched types/);
  });

  it('knows the runner from the command', () => {
    assert.strictEqual(runnerOf('mix test'), 'exunit');
    assert.strictEqual(runnerOf('cargo test'), 'cargo');
  });
});

describe('stage selection', () => {
  it('works on the first stage that has not passed', () => {
    assert.strictEqual(currentStage(undefined, 5), 1);
    assert.strictEqual(currentStage(2, 5), 3);
    assert.strictEqual(currentStage(5, 5), 5);
  });

  it('runs the current stage, every stage up to it, or all', () => {
    assert.deepStrictEqual(stagesFor('current', 3, 5), [3]);
    assert.deepStrictEqual(stagesFor('upToCurrent', 3, 5), [1, 2, 3]);
    assert.deepStrictEqual(stagesFor('all', 3, 5), [1, 2, 3, 4, 5]);
  });

  it('builds cargo and mix commands that run only those stages', () => {
    assert.strictEqual(commandFor('cargo test', [3], 5), 'cargo test --no-fail-fast -- stage3_');
    assert.strictEqual(commandFor('cargo test', [1, 2], 5), 'cargo test --no-fail-fast -- stage1_ stage2_');
    assert.strictEqual(commandFor('cargo test', [1, 2, 3, 4, 5], 5), 'cargo test --no-fail-fast');
    assert.strictEqual(commandFor('mix test', [2], 5), 'mix test --only stage:2');
    assert.strictEqual(commandFor('make check', [2], 5), 'make check');
  });
});
