#!/usr/bin/env node
// Proves, for every course project, that the starter compiles and its tests FAIL (for the
// right reason: unimplemented code, not a compile error), and that the starter with the
// reference solution overlaid PASSES every test. Uses the real toolchains.
//
//   npm run verify:projects [-- <project-id> ...]
//
// Rust crates come from Debian's packaged registry (/usr/share/cargo/registry) through a
// cargo config in the temporary parent folder only; the project files keep a normal
// Cargo.toml that a learner resolves from crates.io. One cargo target directory is shared by
// all projects so CI builds each crate once.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const projectsDir = join(root, 'curriculum', 'projects');
const only = process.argv.slice(2);
const DEBIAN_REGISTRY = process.env.CARGO_DEBIAN_REGISTRY ?? '/usr/share/cargo/registry';

const work = mkdtempSync(join(tmpdir(), 'verify-projects-'));
mkdirSync(join(work, '.cargo'));
writeFileSync(
  join(work, '.cargo', 'config.toml'),
  existsSync(DEBIAN_REGISTRY)
    ? `[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${DEBIAN_REGISTRY}"\n\n[net]\noffline = true\n`
    : '',
);
const env = {
  ...process.env,
  CARGO_TARGET_DIR: process.env.CARGO_TARGET_DIR ?? join(tmpdir(), 'mastering-backend-cargo-target'),
  CARGO_TERM_COLOR: 'never',
  MIX_ENV: 'test',
  HEX_OFFLINE: '1',
  MIX_HOME: join(work, '.mix'),
  ELIXIR_ERL_OPTIONS: '+fnu',
  LANG: 'C.UTF-8',
};

// Signs that a run failed to build rather than failed its tests.
const BUILD_FAILURE = [/error: could not compile/, /error\[E\d+\]/, /== Compilation error/, /\(CompileError\)/, /\(SyntaxError\)/, /\(TokenMissingError\)/];
const UNIMPLEMENTED = [/not yet implemented/, /not implemented/i];

function run(command, cwd) {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** passed/failed counts from cargo's or ExUnit's summary lines. */
function counts(output) {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  for (const m of output.matchAll(/(\d+) tests?, (\d+) failures?/g)) {
    passed += Number(m[1]) - Number(m[2]);
    failed += Number(m[2]);
  }
  return { passed, failed };
}

const tail = (text, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');

const projects = readdirSync(projectsDir)
  .filter((id) => existsSync(join(projectsDir, id, 'project.json')))
  .filter((id) => only.length === 0 || only.includes(id))
  .sort();
if (only.length && projects.length !== only.length) {
  console.error(`unknown project(s): ${only.filter((id) => !projects.includes(id)).join(', ')}`);
  process.exit(2);
}

const results = [];
for (const id of projects) {
  const manifest = JSON.parse(readFileSync(join(projectsDir, id, 'project.json'), 'utf8'));
  const command = manifest.test.command;
  const starter = join(work, `${id}-starter`);
  const solved = join(work, `${id}-solved`);
  cpSync(join(projectsDir, id, 'starter'), starter, { recursive: true });

  process.stdout.write(`\n== ${id}: ${command}\n`);
  const s = await run(command, starter);
  const sc = counts(s.output);
  const problems = [];
  if (s.code === 0) problems.push('the starter passes its tests: they must fail until the learner implements the stages');
  if (BUILD_FAILURE.some((re) => re.test(s.output))) problems.push('the starter does not compile');
  if (manifest.language !== 'yaml' && !UNIMPLEMENTED.some((re) => re.test(s.output))) problems.push('the starter fails, but not with "not implemented"');
  console.log(`   starter:  exit ${s.code}, ${sc.passed} passed, ${sc.failed} failed (${s.seconds.toFixed(1)} s)`);

  // Copied only now: the shared target dir tells builds apart by source mtimes, so the solved
  // copy must be newer than the starter's build output or cargo would reuse the starter's.
  cpSync(join(projectsDir, id, 'starter'), solved, { recursive: true });
  cpSync(join(projectsDir, id, 'solution'), solved, { recursive: true });
  const r = await run(command, solved);
  const rc = counts(r.output);
  if (r.code !== 0) problems.push('the starter with the solution overlaid does not pass');
  if (rc.passed === 0) problems.push('the solution run reported no passing tests');
  console.log(`   solution: exit ${r.code}, ${rc.passed} passed, ${rc.failed} failed (${r.seconds.toFixed(1)} s)`);

  for (const p of problems) console.log(`   FAIL: ${p}`);
  if (problems.some((p) => p.includes('starter'))) console.log(tail(s.output).replace(/^/gm, '   | '));
  if (problems.some((p) => p.includes('solution'))) console.log(tail(r.output).replace(/^/gm, '   | '));
  results.push({ id, ok: problems.length === 0, starter: sc, solution: rc, seconds: s.seconds + r.seconds });
}

rmSync(work, { recursive: true, force: true });
console.log('\nproject                      starter (pass/fail)  solution (pass/fail)  time');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.id.padEnd(24)} ${`${r.starter.passed}/${r.starter.failed}`.padEnd(20)} ${`${r.solution.passed}/${r.solution.failed}`.padEnd(21)} ${r.seconds.toFixed(1)} s`);
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.log(`\n${failed.length} of ${results.length} project(s) failed verification`);
  process.exit(1);
}
console.log(`\nall ${results.length} project(s) verified: starters fail, solutions pass`);
