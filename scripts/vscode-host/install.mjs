#!/usr/bin/env node
// Installs the pinned code-server (which bundles a full VS Code server + web
// workbench) into <repo>/.vscode-test/code-server-<version>/, offline-safe.
//
// Why by hand instead of a plain `npm install code-server`: its postinstall
// runs `npm install` inside the bundled VS Code, where @vscode/ripgrep's own
// postinstall downloads a binary from GitHub, which this network cannot reach.
// So we install everything with --ignore-scripts, drop Debian's ripgrep where
// @vscode/ripgrep expects it, then `npm rebuild` to compile the native modules
// (node-gyp against this machine's Node headers), and redo the rest of
// code-server's postinstall.sh (symlinks, built-in extensions' deps) ourselves.
//
// Idempotent: a stamp file is written last, so a finished install is reused
// and a half-finished one (no stamp) is wiped and redone.
//
// Usage: node scripts/vscode-host/install.mjs [--force] [--verbose]
// Also importable: `await ensureInstalled()` returns the code-server directory.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // bundles VS Code 1.100.3; newest that allows Node 20
export const VSCODE_VERSION = '1.100.3';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
// .vscode-test/ is git-ignored and is not an npm workspace, so `npm ci` at the
// repo root never sees or touches this tree (and it never touches the repo's).
export const INSTALL_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
// The package itself, i.e. where out/node/entry.js and lib/vscode live.
export const CODE_SERVER_DIR = path.join(INSTALL_DIR, 'node_modules', 'code-server');
const STAMP = path.join(INSTALL_DIR, '.install-complete');
const LOG = path.join(INSTALL_DIR, 'install.log');
const SYSTEM_RG = '/usr/bin/rg';
// Native modules the VS Code server loads on Linux (checked after the build).
const NATIVE_VSCODE_MODULES = ['node-pty', '@vscode/spdlog', 'kerberos', 'native-watchdog', '@parcel/watcher'];

/** True when a previous run got all the way to the end for this version and Node major. */
export function isInstalled() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    // Native modules are built for one Node ABI; a different Node major needs a rebuild.
    return stamp.codeServer === CODE_SERVER_VERSION && stamp.nodeMajor === process.versions.node.split('.')[0];
  } catch {
    return false;
  }
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Runs a command, appending its output to the install log (node-gyp is far too
// chatty for the console); on failure, the error carries the log's tail.
function run(cmd, args, cwd, env, verbose) {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(LOG, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    const onData = (d) => {
      fs.appendFileSync(LOG, d);
      chunks.push(d);
      if (verbose) process.stdout.write(d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const tail = Buffer.concat(chunks).toString().trimEnd().split('\n').slice(-30).join('\n');
      reject(new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} exited with ${code ?? signal}\n--- last output ---\n${tail}`));
    });
  });
}

function checkPrerequisites(nodeDir) {
  const problems = [];
  const major = Number(process.versions.node.split('.')[0]);
  // code-server 4.100.x's engines say node 20, and its native modules must match the runtime ABI.
  if (major !== 20) problems.push(`Node 20 is required by code-server ${CODE_SERVER_VERSION}; this is ${process.version}`);
  if (!fs.existsSync(SYSTEM_RG)) problems.push(`${SYSTEM_RG} missing: apt-get install ripgrep`);
  if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h')))
    problems.push(`Node headers not found under ${nodeDir}/include/node (node-gyp would try to download them)`);
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/krb5.h'))
    problems.push('Kerberos headers missing (the `kerberos` native module needs them): apt-get install libkrb5-dev');
  for (const tool of ['make', 'g++', 'python3']) {
    const found = (process.env.PATH || '').split(':').some((d) => fs.existsSync(path.join(d, tool)));
    if (!found) problems.push(`${tool} not on PATH (node-gyp needs it): apt-get install build-essential python3`);
  }
  if (problems.length) throw new Error('prerequisites missing:\n  - ' + problems.join('\n  - '));
}

/** Installs code-server if not installed yet; returns CODE_SERVER_DIR. */
export async function ensureInstalled({ force = false, verbose = false, log = console.log } = {}) {
  if (!force && isInstalled()) {
    log(`[install] code-server ${CODE_SERVER_VERSION} already installed at ${path.relative(process.cwd(), INSTALL_DIR) || '.'}`);
    return CODE_SERVER_DIR;
  }
  const started = Date.now();
  // Node's own prefix holds include/node/*.h; pointing node-gyp there keeps it
  // from trying to download headers (no internet), whatever ~/.npmrc says.
  const nodeDir = path.resolve(path.dirname(process.execPath), '..');
  checkPrerequisites(nodeDir);

  log(`[install] installing code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) into ${INSTALL_DIR}`);
  fs.rmSync(INSTALL_DIR, { recursive: true, force: true }); // no stamp => anything here is a broken leftover
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  // Own package.json so npm installs here instead of walking up to the repo's.
  fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'vscode-host-install', private: true }, null, 2) + '\n');
  fs.writeFileSync(LOG, `code-server ${CODE_SERVER_VERSION} install log, ${new Date().toISOString()}\n`);

  const env = {
    ...process.env,
    // Old npm dropped root privileges for install scripts without this, and
    // code-server's postinstall.sh refuses to run as root unless it is set.
    // npm 7+ ignores it (it logs an "Unknown env config" warning); harmless.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true', // never wait for a prompt (there is no one to answer it)
    npm_config_nodedir: nodeDir,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  };
  const vscodeDir = path.join(CODE_SERVER_DIR, 'lib', 'vscode');
  const npm = 'npm';

  const steps = [
    ['code-server package and its deps (scripts off: its postinstall would download ripgrep)', () =>
      run(npm, ['install', '--no-save', '--omit=dev', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], INSTALL_DIR, env, verbose)],
    ['bundled VS Code deps from its shrinkwrap (scripts off)', () =>
      run(npm, ['install', '--omit=dev', '--ignore-scripts'], vscodeDir, env, verbose)],
    [`Debian ripgrep (${SYSTEM_RG}) into @vscode/ripgrep/bin`, async () => {
      // @vscode/ripgrep's postinstall would fetch this from GitHub; Debian's
      // build is the same tool and VS Code's search only needs `rg` to exist here.
      const binDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
      fs.mkdirSync(binDir, { recursive: true });
      fs.copyFileSync(SYSTEM_RG, path.join(binDir, 'rg'));
      fs.chmodSync(path.join(binDir, 'rg'), 0o755);
    }],
    ['build VS Code native modules (npm rebuild: node-pty, spdlog, kerberos, watcher, ...)', () =>
      run(npm, ['rebuild', '--foreground-scripts'], vscodeDir, env, verbose)],
    ['build code-server\'s native module (npm rebuild argon2)', () =>
      // Only argon2: a bare `npm rebuild` here would also run code-server's
      // own postinstall.sh, which this script replaces step by step.
      // argon2's node-pre-gyp tries a GitHub download first, then builds.
      run(npm, ['rebuild', '--foreground-scripts', 'argon2'], INSTALL_DIR, env, verbose)],
    ['symlinks that code-server postinstall.sh makes', async () => {
      // VS Code and extensions look up files under node_modules.asar.
      const link = (target, at) => { fs.rmSync(at, { recursive: true, force: true }); fs.symlinkSync(target, at); };
      link('node_modules', path.join(vscodeDir, 'node_modules.asar'));
      link('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
      link('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
    }],
    ['built-in extensions\' shared deps (typescript for html/extension-editing)', () =>
      run(npm, ['install', '--omit=dev'], path.join(vscodeDir, 'extensions'), env, verbose)],
  ];

  for (const [i, [title, fn]] of steps.entries()) {
    const t = Date.now();
    log(`[install] step ${i + 1}/${steps.length}: ${title} ...`);
    try {
      await fn();
    } catch (err) {
      throw new Error(`[install] step ${i + 1}/${steps.length} FAILED (${title}): ${err.message}\nFull log: ${LOG}`);
    }
    log(`[install]   done in ${secs(Date.now() - t)}`);
  }

  // Smoke checks before the stamp: every native module loads in this Node
  // (a silently skipped build, e.g. if npm stops running install scripts,
  // shows up here rather than as a server that dies later), and the CLI runs.
  // HOME is a throwaway dir: code-server writes a default config into it.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-install-'));
  const smokeEnv = { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share') };
  const loadAll = (mods) => `for (const m of ${JSON.stringify(mods)}) require(m); console.log('loaded', ${JSON.stringify(mods.join(', '))})`;
  try {
    log('[install] smoke check: native modules load, `code-server --version` runs ...');
    await run(process.execPath, ['-e', loadAll(NATIVE_VSCODE_MODULES)], vscodeDir, smokeEnv, verbose);
    await run(process.execPath, ['-e', loadAll(['argon2'])], INSTALL_DIR, smokeEnv, verbose);
    await run(process.execPath, [path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'), '--version'], INSTALL_DIR, smokeEnv, verbose);
  } catch (err) {
    throw new Error(`[install] smoke check FAILED: ${err.message}\nFull log: ${LOG}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }

  fs.writeFileSync(STAMP, JSON.stringify({
    codeServer: CODE_SERVER_VERSION,
    vscode: VSCODE_VERSION,
    nodeMajor: process.versions.node.split('.')[0],
    installedAt: new Date().toISOString(),
  }, null, 2) + '\n');
  log(`[install] code-server ${CODE_SERVER_VERSION} installed in ${secs(Date.now() - started)} (log: ${LOG})`);
  return CODE_SERVER_DIR;
}

// Run as a script (not when imported by host.mjs).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  ensureInstalled({ force: args.includes('--force'), verbose: args.includes('--verbose') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
