import * as l10n from '@vscode/l10n';
import { parseTestOutput, type TestOutcome } from '../projects/testResults';
import type { DiscoveredTest } from './discovery';

/** What a failing test printed: the assertion text, and where it failed when the runner says so. */
export interface FailureDetail {
  readonly name: string;
  readonly message: string;
  /** Relative to the project folder (cargo prints paths relative to the package). */
  readonly location?: { readonly file: string; readonly line: number };
}

export type Verdict =
  | { readonly kind: 'passed'; readonly test: DiscoveredTest; readonly ms?: number }
  | { readonly kind: 'failed'; readonly test: DiscoveredTest; readonly message: string; readonly location?: FailureDetail['location']; readonly ms?: number }
  | { readonly kind: 'errored'; readonly test: DiscoveredTest; readonly message: string }
  | { readonly kind: 'skipped'; readonly test: DiscoveredTest };

export type Runner = 'cargo' | 'exunit';

export function runnerOf(testCommand: string): Runner {
  return /^\s*mix\s/.test(testCommand) ? 'exunit' : 'cargo';
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** cargo: `---- name stdout ----` sections; ExUnit: numbered `N) test name (Module)` blocks. */
export function parseFailures(rawOutput: string): FailureDetail[] {
  const output = rawOutput.replace(ANSI, '').replace(/\r\n/g, '\n');
  const details: FailureDetail[] = [];
  for (const m of output.matchAll(/^---- (\S+) stdout ----\n([\s\S]*?)(?=^---- \S+ stdout ----$|^failures:$|^test result:)/gm)) {
    // The backtrace (RUST_BACKTRACE=1) stays in the output; the message is what the assertion said.
    const body = m[2].split(/^stack backtrace:$/m)[0].replace(/^note: run with `RUST_BACKTRACE=1`.*$/m, '').trim();
    // Rust ≥ 1.73: "thread 'x' (123) panicked at tests/a.rs:12:5:\nmessage"; older: "panicked at 'message', tests/a.rs:12:5".
    const at = /panicked at (?:'[\s\S]*?', )?([^\s:]+\.rs):(\d+):\d+/.exec(body);
    const message = body.replace(/^thread '[^']*'(?: \(\d+\))? panicked at [^\n]*?:\d+:\d+:\n?/m, '').trim() || body;
    details.push({ name: m[1], message, location: at ? { file: at[1], line: Number(at[2]) } : undefined });
  }
  for (const m of output.matchAll(/^\s+\d+\) test (.+?) \([A-Z][\w.]*\)\n([\s\S]*?)(?=^\s+\d+\) test |^Finished in |^\d+ (?:tests?|doctests?)|(?![\s\S]))/gm)) {
    const lines = m[2].split('\n');
    const loc = /^\s*(\S+\.exs?):(\d+)\s*$/.exec(lines[0] ?? '');
    const message = lines.slice(loc ? 1 : 0).map((l) => l.replace(/^ {5}/, '')).join('\n').trim();
    details.push({ name: m[1], message, location: loc ? { file: loc[1], line: Number(loc[2]) } : undefined });
  }
  return details;
}

/** ExUnit with --trace prints each test's time: `* test name (1.2ms)`. */
function durations(output: string): Map<string, number> {
  const times = new Map<string, number>();
  for (const m of output.matchAll(/^\s*\* test (.+?) \((\d+(?:\.\d+)?)ms\)/gm)) times.set(m[1], Number(m[2]));
  return times;
}

/** Did the test run get as far as running tests (a summary line), or stop before (build error)? */
function ranTests(output: string, runner: Runner): boolean {
  return runner === 'cargo' ? /^test result: /m.test(output) : /^\d+ tests?, \d+ failures?/m.test(output);
}

const sameTest = (reported: string, test: DiscoveredTest) => reported === test.name || reported.endsWith(`::${test.name}`);

/**
 * Maps one run's output onto the tests that were asked for. Cargo names every test it runs, so
 * a test it does not name did not run (skipped). ExUnit names only failures (unless --trace),
 * so a requested test that ran to the summary without failing passed. A run that never reached
 * its tests (a compile error) marks every requested test as errored with the build output.
 */
export function mapRun(requested: readonly DiscoveredTest[], rawOutput: string, exitCode: number, runner: Runner): Verdict[] {
  const output = rawOutput.replace(ANSI, '').replace(/\r\n/g, '\n');
  const outcomes: TestOutcome[] = parseTestOutput(output);
  const failures = parseFailures(output);
  const times = durations(output);
  if (!ranTests(output, runner) && outcomes.length === 0) {
    const message = buildErrorMessage(output, exitCode);
    return requested.map((test) => ({ kind: 'errored', test, message }));
  }
  return requested.map((test): Verdict => {
    const failure = failures.find((f) => sameTest(f.name, test));
    const outcome = outcomes.find((o) => sameTest(o.name, test));
    const ms = times.get(test.name);
    if (failure || outcome?.passed === false) {
      return { kind: 'failed', test, message: failure?.message || l10n.t('The test failed (no message was printed).'), location: failure?.location, ms };
    }
    if (outcome?.passed) return { kind: 'passed', test, ms };
    return runner === 'exunit' ? { kind: 'passed', test, ms } : { kind: 'skipped', test };
  });
}

/** The useful part of a build failure: compiler errors, or the last lines. */
export function buildErrorMessage(output: string, exitCode: number): string {
  const errors = output.split('\n').filter((l) => /^error(\[E\d+\])?:|^\*\* \(|== Compilation error/.test(l));
  const tail = output.trimEnd().split('\n').slice(-25).join('\n');
  return errors.length
    ? l10n.t('The tests did not run (exit code {0}). The project does not build:\n{1}\n\n{2}', exitCode, errors.slice(0, 10).join('\n'), tail)
    : l10n.t('The tests did not run (exit code {0}).\n{1}', exitCode, tail);
}
