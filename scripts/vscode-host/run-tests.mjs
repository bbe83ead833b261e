#!/usr/bin/env node
// Runs an extension's integration tests (mocha or anything else, using the
// real `vscode` API) inside a real VS Code extension host: code-server's Node
// extension host, driven by headless Debian Chromium. Works offline.
//
//   node scripts/vscode-host/run-tests.mjs --extension <dir> --tests <abs path to index.js>
//        [--workspace <folder>] [--install-vsix <file.vsix>] [--state-dir <dir> --port <n>]
//        [--timeout <ms>] [--verbose]
//
// --state-dir keeps the server's user data and the browser profile between runs (with a fixed
// --port, since browser storage is per origin), so a second run sees what the first one saved.
//
// --tests is the usual @vscode/test-electron shape: a CommonJS module that
// exports run(): Promise<void>, rejecting when tests fail; normally inside the
// --extension folder (that is how `require('vscode')` in it is tied to the
// extension; elsewhere VS Code hands out a generic API object). Exit status: the tests' result (0 pass, 1 fail),
// 2 for usage errors, 3 when the host could not start, 124 on timeout,
// 130 on Ctrl-C.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startHost } from './host.mjs';
import { ensureInstalled } from './install.mjs';

export const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

class UsageError extends Error {}

function checkPaths({ extensionDevelopmentPath, extensionTestsPath, workspace }) {
  const ext = path.resolve(extensionDevelopmentPath);
  if (!fs.existsSync(path.join(ext, 'package.json'))) throw new UsageError(`--extension: no package.json in ${ext}`);
  if (!path.isAbsolute(extensionTestsPath)) throw new UsageError(`--tests must be an absolute path (got ${extensionTestsPath})`);
  if (!fs.existsSync(extensionTestsPath) && !fs.existsSync(extensionTestsPath + '.js'))
    throw new UsageError(`--tests: ${extensionTestsPath} does not exist (compile the tests first?)`);
  if (workspace && !fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--workspace: ${workspace} is not a folder`);
}

/**
 * Runs the tests and resolves with their exit code; never calls process.exit.
 * @param {object} opts
 * @param {string}  opts.extensionDevelopmentPath
 * @param {string}  opts.extensionTestsPath   absolute path (normally inside the extension folder)
 * @param {string}  [opts.workspace]
 * @param {string}  [opts.installVsix]
 * @param {object}  [opts.settings]           user settings for the run (see startServer in host.mjs)
 * @param {number}  [opts.timeout]            ms, default 5 minutes
 * @param {boolean} [opts.verbose]
 * @param {(line: string) => void} [opts.onOutput]  test output lines (default: stdout)
 * @param {AbortSignal} [opts.signal]         abort (e.g. on Ctrl-C): stops everything, resolves 130
 * @returns {Promise<number>}
 */
export async function runTests(opts) {
  const { timeout = DEFAULT_TIMEOUT_MS, signal } = opts;
  checkPaths(opts);
  const log = (s) => console.error(s);
  // Install first and outside the deadline: a first install takes a minute or
  // more and is not what the timeout is about.
  await ensureInstalled({ log });

  const started = Date.now();
  const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  // One deadline for everything else (server start, browser, tests), so a
  // hang anywhere ends with a clear message instead of a stuck CI job.
  const stopStarting = new AbortController();
  let host;
  let starting;
  let timer;
  try {
    const outcome = await new Promise((resolve, reject) => {
      timer = setTimeout(() => resolve({ timedOut: true }), timeout);
      if (signal?.aborted) return resolve({ aborted: true });
      signal?.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
      starting = startHost({ ...opts, signal: stopStarting.signal, log });
      starting
        .then((h) => {
          host = h;
          if (stopStarting.signal.aborted) return; // finished starting just too late; stopped below
          log(`[vscode-host] workbench open after ${secs()}, running ${opts.extensionTestsPath}`);
          return h.exitCode;
        })
        .then((code) => resolve({ code }), (err) => (stopStarting.signal.aborted ? undefined : reject(err)));
    });
    // Interrupt a start still in progress (it cleans up after itself).
    stopStarting.abort();
    if (outcome.timedOut) {
      log(`[vscode-host] TIMEOUT: the tests did not finish within ${timeout} ms (raise it with --timeout <ms>).`);
      if (host) {
        // A picture of the workbench usually shows why (dialog, error, spinner).
        const shot = path.join(REPO_ROOT, '.vscode-test', 'last-timeout.png');
        await host.page.screenshot({ path: shot, timeout: 10_000 }).then(() => log(`[vscode-host] screenshot of the workbench: ${shot}`), () => {});
        log(`[vscode-host] server log (tail):\n${fs.readFileSync(host.server.logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n')}`);
      } else {
        log('[vscode-host] the server/browser was still starting at that point');
      }
      return 124;
    }
    if (outcome.aborted) {
      log('[vscode-host] interrupted');
      return 130;
    }
    log(`[vscode-host] tests exited with ${outcome.code} after ${secs()}`);
    return outcome.code;
  } finally {
    clearTimeout(timer);
    stopStarting.abort();
    // An interrupted start stops what it started itself and then rejects;
    // give it a few seconds (a browser launch can't be cut short).
    if (!host && starting) await Promise.race([starting.catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    if (host) await host.stop();
  }
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        extension: { type: 'string' },
        tests: { type: 'string' },
        workspace: { type: 'string' },
        'install-vsix': { type: 'string' },
        'state-dir': { type: 'string' },
        port: { type: 'string' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(err.message);
    return 2;
  }
  if (values.help || !values.extension || !values.tests) {
    console.error('usage: node scripts/vscode-host/run-tests.mjs --extension <dir> --tests <abs path to tests index.js>\n' +
      '         [--workspace <folder>] [--install-vsix <file.vsix>] [--state-dir <dir> --port <n>] [--timeout <ms>] [--verbose]');
    return values.help ? 0 : 2;
  }
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) { console.error(`--timeout: not a positive number: ${values.timeout}`); return 2; }

  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => abort.abort());
  try {
    return await runTests({
      extensionDevelopmentPath: path.resolve(values.extension),
      extensionTestsPath: values.tests,
      workspace: values.workspace && path.resolve(values.workspace),
      installVsix: values['install-vsix'],
      stateDir: values['state-dir'] && path.resolve(values['state-dir']),
      port: values.port === undefined ? undefined : Number(values.port),
      timeout,
      verbose: values.verbose,
      signal: abort.signal,
    });
  } catch (err) {
    console.error(err instanceof UsageError ? err.message : `[vscode-host] could not run the tests: ${err.stack || err.message}`);
    return err instanceof UsageError ? 2 : 3;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Exit explicitly: anything still starting in the background (after a
  // timeout or Ctrl-C) must not keep the process alive. On Linux, stdout and
  // stderr writes to pipes and files are synchronous, so no output is lost.
  main().then((code) => process.exit(code));
}
