import type { Stage } from '../curriculum/types';

export interface TestOutcome {
  readonly name: string;
  readonly passed: boolean;
}

export interface StageSummary {
  /** Stages whose every test passed, counted from the first until the first that did not. */
  readonly stagesPassed: number;
  readonly stagesTotal: number;
  readonly testsPassed: number;
  readonly testsFailed: number;
}

/**
 * Reads individual test outcomes from a test run's output: cargo's `test <name> ... ok|FAILED`
 * lines, and ExUnit's `--trace` style `* test <name> (…)` lines plus its numbered failures.
 */
export function parseTestOutput(output: string): TestOutcome[] {
  const outcomes = new Map<string, boolean>();
  for (const m of output.matchAll(/^test (\S+)(?: - should panic)? \.\.\. (ok|FAILED|ignored)/gm)) {
    if (m[2] !== 'ignored') outcomes.set(m[1], m[2] === 'ok');
  }
  // ExUnit with --trace: "  * test stage 1: parses NICK (0.01ms) [L#12]", failures: "  1) test stage 2: … (RoomTest)"
  for (const m of output.matchAll(/^\s*\* test (.+?) \((?:excluded|\d+(?:\.\d+)?ms)\)/gm)) outcomes.set(m[1], true);
  for (const m of output.matchAll(/^\s*\d+\) test (.+?) \([A-Z][\w.]*\)\s*$/gm)) outcomes.set(m[1], false);
  return [...outcomes].map(([name, passed]) => ({ name, passed }));
}

/** Which stage a test belongs to: `stage3_…`, `stage 3: …`, or a `stage3` module path. */
export function stageOf(testName: string): number | undefined {
  const m = /(?:^|[^a-z])stage[\s_-]?(\d+)/i.exec(testName);
  return m ? Number(m[1]) : undefined;
}

/** A stage passes when the run has at least one of its tests and every one of them passed. */
export function stagePasses(outcomes: readonly TestOutcome[], n: number): boolean {
  const tests = outcomes.filter((o) => stageOf(o.name) === n);
  return tests.length > 0 && tests.every((t) => t.passed);
}

export function summarise(outcomes: readonly TestOutcome[], stages: readonly Stage[]): StageSummary {
  let stagesPassed = 0;
  while (stagesPassed < stages.length && stagePasses(outcomes, stagesPassed + 1)) stagesPassed++;
  return {
    stagesPassed,
    stagesTotal: stages.length,
    testsPassed: outcomes.filter((o) => o.passed).length,
    testsFailed: outcomes.filter((o) => !o.passed).length,
  };
}
