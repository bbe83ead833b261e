import { promises as fs } from 'fs';
import * as path from 'path';
import { stageOf } from '../projects/testResults';

/** A test found in a project's sources: its name as the test runner reports it, and where it is. */
export interface DiscoveredTest {
  /** Cargo: the function name (`stage1_health_ok`); ExUnit: `<describe> <test>` as `mix test` prints it. */
  readonly name: string;
  /** 1-based stage number, from the name or else from the file name (`tests/stage3_…`). */
  readonly stage: number | undefined;
  /** Path relative to the project folder, with `/` separators. */
  readonly file: string;
  /** 0-based line of the test's declaration. */
  readonly line: number;
}

/** Where the course's projects keep tests: Rust integration tests, Rust unit tests in src, ExUnit tests. */
const ROOTS = ['tests', 'src', 'test'];
const SKIP_DIRS = new Set(['target', '_build', 'deps', 'node_modules', '.git']);
const MAX_FILES = 500;

/**
 * Finds the tests of a scaffolded project by reading its sources, so the Testing view can list
 * them (with a link to each) before anything has run. Reading, not compiling: it only needs the
 * conventions every course project follows (`#[test]`/`#[tokio::test]` functions, ExUnit
 * `test "…"` inside an optional `describe "…"`).
 */
export async function discoverTests(folder: string): Promise<DiscoveredTest[]> {
  const files: string[] = [];
  for (const root of ROOTS) await collect(folder, root, files);
  const tests: DiscoveredTest[] = [];
  for (const rel of files.sort()) {
    const text = await fs.readFile(path.join(folder, ...rel.split('/')), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    if (rel.endsWith('.rs')) tests.push(...rustTests(text, rel));
    else tests.push(...exunitTests(text, rel));
  }
  return tests;
}

async function collect(folder: string, rel: string, out: string[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  let entries: import('fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(folder, ...rel.split('/')), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await collect(folder, child, out);
    } else if (/\.rs$/.test(e.name) || /_test\.exs$/.test(e.name)) {
      out.push(child);
    }
  }
}

function fileStage(rel: string): number | undefined {
  return stageOf(path.posix.basename(rel));
}

/** `#[test]` / `#[tokio::test(…)]` followed (after other attributes) by `fn name` or `async fn name`. */
export function rustTests(text: string, rel: string): DiscoveredTest[] {
  const lines = text.split(/\r?\n/);
  const tests: DiscoveredTest[] = [];
  let pending = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (/^#\[(?:[\w:]+::)?test\b/.test(line)) {
      pending = true;
      continue;
    }
    if (!pending) continue;
    const fn = /^(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(\w+)/.exec(line);
    if (fn) {
      tests.push({ name: fn[1], stage: stageOf(fn[1]) ?? fileStage(rel), file: rel, line: i });
      pending = false;
    } else if (line && !line.startsWith('#[') && !line.startsWith('//')) {
      pending = false; // the attribute belonged to something else
    }
  }
  return tests;
}

/** ExUnit `test "…" do` lines, named `<describe> <test>` inside a `describe "…" do` block. */
export function exunitTests(text: string, rel: string): DiscoveredTest[] {
  const lines = text.split(/\r?\n/);
  const tests: DiscoveredTest[] = [];
  let describe: { name: string; indent: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const indent = raw.length - raw.trimStart().length;
    const d = /^\s*describe\s+"((?:[^"\\]|\\.)*)"\s*(?:,.*)?do\s*$/.exec(raw);
    if (d) {
      describe = { name: d[1], indent };
      continue;
    }
    if (describe && indent === describe.indent && /^\s*end\b/.test(raw)) {
      describe = undefined;
      continue;
    }
    const t = /^\s*test\s+"((?:[^"\\]|\\.)*)"/.exec(raw);
    if (t) {
      const name = describe ? `${describe.name} ${t[1]}` : t[1];
      tests.push({ name, stage: stageOf(name) ?? fileStage(rel), file: rel, line: i });
    }
  }
  return tests;
}
