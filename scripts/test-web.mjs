#!/usr/bin/env node
// The web entry (package.json `browser`, dist/web/extension.js) in a real web worker extension
// host: VS Code 1.100.3's web workbench from code-server, in Debian's Chromium, the same host
// scripts/vscode-host/ uses for the desktop suites (see its README).
//
//   node scripts/test-web.mjs      (after `npm run build`; `npm run test:web` does both)
//
// How the extension gets into the web worker host instead of code-server's Node host: the user
// setting `remote.extensionKind` set to ["web"] for this extension, VS Code's own override of an
// extension's kind, written into the run's fresh user data. Two other routes do not work here:
// the workbench URL's `extensionDevelopmentKind` payload entry is read in VS Code 1.100's web
// workbench but never reaches the code that places extensions (it reads another property), and
// @vscode/test-web downloads a VS Code build at run time, which this machine cannot.
//
// The tests (test/web) are bundled into one file, as the worker loads modules without a Node
// `require`: only `vscode` is provided.
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webBundle } from './esbuild-web.mjs';
import { runTests } from './vscode-host/run-tests.mjs';

const root = resolve(import.meta.dirname, '..');
const testsEntry = join(root, 'out', 'test', 'web', 'index.js');

/** Bundles test/web into out/test/web/index.js (inside the extension folder, so its `require('vscode')` is this extension's API). */
export async function buildWebTests() {
  await esbuild.build({ ...webBundle, absWorkingDir: root, entryPoints: { index: 'test/web/index.ts' }, outdir: 'out/test/web', logLevel: 'warning' });
}

/** Runs test/web against the built extension; resolves with the exit code (0 = passed). */
export async function runWebTests({ timeout = 5 * 60 * 1000, verbose = false } = {}) {
  if (!existsSync(join(root, 'dist', 'web', 'extension.js'))) {
    console.error('dist/web/extension.js is missing: run `npm run build` first (or `npm run test:web`).');
    return 2;
  }
  await buildWebTests();
  const { publisher, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // A folder to export the journal into; in this window it is a vscode-remote folder, as a
  // repository is a virtual folder on vscode.dev.
  const workspace = mkdtempSync(join(tmpdir(), 'course-web-workspace-'));
  try {
    return await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      workspace,
      timeout,
      verbose,
      settings: { 'remote.extensionKind': { [`${publisher}.${name}`]: ['web'] } },
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const code = await runWebTests({ verbose: process.argv.includes('--verbose') });
  console.log(`\nweb tests ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(code);
}
