#!/usr/bin/env node
// Proves, for every course project, that the starter compiles and its tests FAIL (for the
// right reason: unimplemented code, not a compile error), that skipping ahead works, and that
// the starter with the reference solution overlaid PASSES every test. Uses the real toolchains.
//
//   npm run verify:projects [-- <project-id> ...]
//
// Skipping ahead to stage k puts in place the reference state of the files the manifest lists
// for stages 1..k-1 (`stages[].files`): the solution's version, or for a file a later stage
// writes too, its snapshot in `stages/<stage id>/`. For each k = 2..N the script builds the
// state the extension's own plan (planSkip) describes and runs, with the commands the extension
// builds (commandFor; both bundled by `build.mjs --cli`):
//   - only stages 1..k-1: they must pass (skipping gives a working project);
//   - only stage k: it must fail (skipping does not give away stage k's work), unless the plan
//     declares it (a shared file with no snapshot, which the confirmation names) or stage k
//     lists no files (a stage whose tests check the earlier stages' work): then a note.
//
// Every state of a project lives in ONE folder, brought from one state to the next by
// rewriting only the files whose content differs from the new state (so its tracked files
// always equal a fresh copy of starter/ with the overlay): cargo and mix then rebuild only
// what changed. Rust crates come from Debian's packaged registry (/usr/share/cargo/registry)
// through a cargo config in the temporary parent folder only; the project files keep a normal
// Cargo.toml that a learner resolves from crates.io. One cargo target directory is shared by
// all projects so CI builds each crate once.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const projectsDir = join(root, 'curriculum', 'projects');
const only = process.argv.slice(2);
const DEBIAN_REGISTRY = process.env.CARGO_DEBIAN_REGISTRY ?? '/usr/share/cargo/registry';

// The extension's own stage selection (src/testing/stageSelection.ts), bundled by `build.mjs --cli`.
const stageSelectionJs = join(root, 'dist', 'cli', 'stageSelection.js');
if (!existsSync(stageSelectionJs)) {
  console.error(`${stageSelectionJs} is missing: run \`node scripts/build.mjs --cli\` first (npm run verify:projects does)`);
  process.exit(2);
}
const { canRunStages, commandFor } = createRequire(import.meta.url)(stageSelectionJs);
const { planSkip } = createRequire(import.meta.url)(join(root, 'dist', 'cli', 'stagePlan.js'));

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

/** passed/failed counts from cargo's or ExUnit's summary lines (ExUnit counts excluded tests in its total). */
function counts(output) {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  for (const m of output.matchAll(/(\d+) tests?, (\d+) failures?((?:, \d+ \w+)*)/g)) {
    const extra = (word) => Number(m[3].match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
    const notRun = extra('excluded') + extra('skipped');
    passed += Number(m[1]) - Number(m[2]) - notRun - extra('invalid');
    failed += Number(m[2]) + extra('invalid');
  }
  return { passed, failed };
}

const tail = (text, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');
const line = (r, c) => `exit ${r.code}, ${c.passed} passed, ${c.failed} failed (${r.seconds.toFixed(1)} s)`;
const span = (from, to) => (from === to ? `stage ${from}` : `stages ${from}-${to}`);

/** Every file under `dir`, as POSIX paths relative to it. */
function filesUnder(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/**
 * Brings `dir` to the state "starter/ with `overlay` on top" (file → the template folder its
 * content comes from: `solution` or `stages/<stage id>`):
 * afterwards each starter and solution file in it has exactly the content a fresh copy would
 * have. Only files whose content differs are written, and they get the current time as mtime:
 * the shared cargo target dir tells builds apart by source mtimes, so a changed file must be
 * newer than the previous build (it is: this runs after it) and an unchanged one must keep
 * matching the build made from it in this same folder.
 */
function bringTo(dir, projectDir, overlay) {
  const starter = join(projectDir, 'starter');
  for (const path of new Set([...filesUnder(starter), ...overlay.keys()])) {
    const from = join(projectDir, overlay.get(path) ?? 'starter', path);
    const to = join(dir, path);
    if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    const now = new Date();
    utimesSync(to, now, now);
  }
}

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
  const projectDir = join(projectsDir, id);
  const manifest = JSON.parse(readFileSync(join(projectDir, 'project.json'), 'utf8'));
  const command = manifest.test.command;
  const stageFiles = manifest.stages.map((s) => s.files ?? []);
  const total = stageFiles.length;
  const dir = join(work, id);
  const problems = [];
  const failedOutputs = [];
  let seconds = 0;

  process.stdout.write(`\n== ${id}: ${command}\n`);
  bringTo(dir, projectDir, new Map());
  const s = await run(command, dir);
  seconds += s.seconds;
  const sc = counts(s.output);
  const starterProblems = [];
  if (s.code === 0) starterProblems.push('the starter passes its tests: they must fail until the learner implements the stages');
  if (BUILD_FAILURE.some((re) => re.test(s.output))) starterProblems.push('the starter does not compile');
  if (manifest.language !== 'yaml' && !UNIMPLEMENTED.some((re) => re.test(s.output))) starterProblems.push('the starter fails, but not with "not implemented"');
  console.log(`   starter:  ${line(s, sc)}`);
  problems.push(...starterProblems);
  if (starterProblems.length) failedOutputs.push(['starter', s.output]);

  // Skipping ahead to stage k, for k = 2..N, in order: each state adds one stage's files.
  const stages = { checked: 0, ok: 0, declared: 0 };
  const notChecked =
    total < 2 ? 'it has one stage'
    : !canRunStages(command) ? 'its test command cannot run one stage at a time'
    : !stageFiles.some((f) => f.length) ? 'no stage lists its files'
    : '';
  if (notChecked) {
    console.log(`   skipping ahead not checked: ${notChecked}`);
  } else {
    const snapshots = new Set(filesUnder(join(projectDir, 'stages')).map((f) => `stages/${f}`));
    for (let k = 2; k <= total; k++) {
      const plan = planSkip(manifest.stages.map((s) => ({ ...s, files: s.files ?? [] })), k, snapshots);
      bringTo(dir, projectDir, new Map(plan.files.map((f) => [f.rel, f.from])));
      const earlier = Array.from({ length: k - 1 }, (_, i) => i + 1);
      const a = await run(commandFor(command, earlier, total), dir);
      const b = await run(commandFor(command, [k], total), dir);
      seconds += a.seconds + b.seconds;
      const ac = counts(a.output);
      const bc = counts(b.output);
      const stateProblems = [];
      if (a.code !== 0 || ac.passed === 0) {
        stateProblems.push(`skipping to stage ${k}: ${span(1, k - 1)} ${a.code !== 0 ? 'do not pass' : 'report no passing tests'} with the solution's files of ${span(1, k - 1)}`);
        failedOutputs.push([`skip to ${k}, ${span(1, k - 1)}`, a.output]);
      }
      const declared = plan.files.filter((f) => f.alsoIn.includes(k)).map((f) => f.rel);
      if (b.code === 0 && stageFiles[k - 1].length === 0) {
        stages.declared++;
        console.log(`   note: stage ${k} lists no files of its own (its tests check the earlier stages' work), so it passes once they are in place`);
      } else if (b.code === 0 && declared.length) {
        stages.declared++;
        console.log(`   note: skipping to stage ${k} brings stage ${k}'s reference with ${declared.join(', ')} (no snapshot in stages/; the confirmation says so)`);
      } else if (b.code === 0) {
        stateProblems.push(`skipping to stage ${k} gives its work away: stage ${k} passes with the reference state of ${span(1, k - 1)}, and no shared file declares it`);
      } else if (BUILD_FAILURE.some((re) => re.test(b.output))) {
        stateProblems.push(`skipping to stage ${k}: stage ${k} fails to build instead of failing its tests`);
        failedOutputs.push([`skip to ${k}, stage ${k}`, b.output]);
      }
      stages.checked++;
      if (stateProblems.length === 0) stages.ok++;
      problems.push(...stateProblems);
      console.log(`   skip to ${k}: ${span(1, k - 1)} ${line(a, ac)}; stage ${k} ${line(b, bc)}`);
    }
  }

  // The starter with every solution file overlaid (the same folder: only what differs is rewritten).
  bringTo(dir, projectDir, new Map(filesUnder(join(projectDir, 'solution')).map((f) => [f, 'solution'])));
  const r = await run(command, dir);
  seconds += r.seconds;
  const rc = counts(r.output);
  const solutionProblems = [];
  if (r.code !== 0) solutionProblems.push('the starter with the solution overlaid does not pass');
  if (rc.passed === 0) solutionProblems.push('the solution run reported no passing tests');
  console.log(`   solution: ${line(r, rc)}`);
  problems.push(...solutionProblems);
  if (solutionProblems.length) failedOutputs.push(['solution', r.output]);

  for (const p of problems) console.log(`   FAIL: ${p}`);
  for (const [what, output] of failedOutputs) console.log(`   -- ${what}:\n${tail(output).replace(/^/gm, '   | ')}`);
  results.push({ id, ok: problems.length === 0, starter: sc, stages, solution: rc, seconds });
}

rmSync(work, { recursive: true, force: true });
console.log('\nproject                      starter (pass/fail)  stages                 solution (pass/fail)  time');
for (const r of results) {
  const stages = r.stages.checked ? `${r.stages.ok}/${r.stages.checked} ${r.stages.ok === r.stages.checked ? 'ok' : 'FAIL'}${r.stages.declared ? ` (${r.stages.declared} declared)` : ''}` : '-';
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.id.padEnd(24)} ${`${r.starter.passed}/${r.starter.failed}`.padEnd(20)} ${stages.padEnd(22)} ${`${r.solution.passed}/${r.solution.failed}`.padEnd(21)} ${r.seconds.toFixed(1)} s`,
  );
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.log(`\n${failed.length} of ${results.length} project(s) failed verification`);
  process.exit(1);
}
console.log(`\nall ${results.length} project(s) verified: starters fail, skipping ahead passes the earlier stages only, solutions pass`);
