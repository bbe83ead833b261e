// Shared pieces: start code-server (a real VS Code server whose Node extension
// host runs our extension), drive its web workbench with Debian's Chromium via
// playwright-core, and tear everything down. Used by run-tests.mjs and
// serve.mjs, and importable by other scripts (benchmarks, end-to-end tests).
//
// Why code-server + a browser instead of @vscode/test-electron: that one
// downloads a VS Code build at run time, which this machine cannot do; the
// code-server npm package brings VS Code from the npm registry, and Chromium
// comes from Debian. The extension host is the same Node one either way.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { CODE_SERVER_DIR, REPO_ROOT, ensureInstalled, isInstalled } from './install.mjs';

export const CHROMIUM_PATH = process.env.VSCODE_HOST_CHROMIUM || '/usr/bin/chromium';
// Fresh profile, nothing that phones home: there is no network to phone anyway,
// and background fetches only add noise and delay.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Asks the OS for a free port on 127.0.0.1 (tiny race until the server binds it; acceptable here). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** True if `port` can be bound on 127.0.0.1 right now. */
export function isPortFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Environment for code-server: everything it writes goes under our temp dir,
// and nothing leaks in from a VS Code that might be running this script.
function serverEnv(tempDir) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // VSCODE_IPC_HOOK_CLI would make code-server hand its arguments to the
    // *parent* VS Code instead of starting; other VSCODE_* / ELECTRON_* vars
    // (set in a VS Code terminal) confuse the server and its extension host.
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_')) delete env[key];
  }
  const home = path.join(tempDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  // Toolchains installed under the real HOME (rustup's ~/.rustup and ~/.cargo, mix's ~/.mix)
  // must keep working for code the extension runs (project tests), so pin their homes first.
  const realHome = os.homedir();
  for (const [key, dir] of [['RUSTUP_HOME', '.rustup'], ['CARGO_HOME', '.cargo'], ['MIX_HOME', '.mix']]) {
    if (!env[key] && fs.existsSync(path.join(realHome, dir))) env[key] = path.join(realHome, dir);
  }
  // VS Code resolves the extension host's environment from a login shell in HOME; with an empty
  // HOME that would drop PATH entries such as ~/.cargo/bin. Give the shell our PATH back.
  const profile = `export PATH=${JSON.stringify(process.env.PATH ?? '')}\n`;
  for (const rc of ['.profile', '.bashrc', '.zshenv']) fs.writeFileSync(path.join(home, rc), profile);
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    // Keep any PASSWORD in the caller's env from switching auth on.
    PASSWORD: '',
    HASHED_PASSWORD: '',
  });
  return env;
}

function commonArgs(tempDir) {
  return [
    // Its own (empty) config file, so it neither reads nor writes ~/.config/code-server.
    '--config', path.join(tempDir, 'config.yaml'),
    '--user-data-dir', path.join(tempDir, 'user-data'),
    '--extensions-dir', path.join(tempDir, 'extensions'),
  ];
}

// Runs code-server once as a CLI (e.g. --install-extension) and waits for it.
function runCli(args, { tempDir, env, logFile }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'), ...commonArgs(tempDir), ...args], {
      env, stdio: ['ignore', out, out],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${tail(logFile, 20)}`));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 with no auth, telemetry and update checks
 * off, HOME/user-data/extensions in a fresh temp folder.
 *
 * @param {object} [opts]
 * @param {number} [opts.port]        port to use (default: a free one)
 * @param {string} [opts.installVsix] a .vsix to install into the temp extensions dir first
 * @param {boolean} [opts.verbose]    also copy the server's log to stderr
 * @param {AbortSignal} [opts.signal] give up starting (the server is stopped, the promise rejects)
 * @param {object} [opts.settings]    user settings for the run (written to the server's User/settings.json)
 * @param {(line: string) => void} [opts.log]  progress messages (default: stderr)
 * @returns {Promise<{ port: number, authority: string, baseUrl: string, tempDir: string, logFile: string, pid: number,
 *   exited: Promise<number|string>, stop: () => Promise<void> }>}  `exited` settles if the server process ends (exit code or signal)
 */
export async function startServer({ port, installVsix, verbose = false, signal, stateDir, settings, log = (s) => console.error(s) } = {}) {
  if (!isInstalled()) await ensureInstalled({ log }); // quiet when already there
  signal?.throwIfAborted();
  // With stateDir, user data (global state, settings) survives stop() for the next start:
  // that is how a test checks what the extension kept across a full restart.
  const tempDir = stateDir ? path.join(stateDir, 'server') : fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  fs.mkdirSync(tempDir, { recursive: true });
  const removeTemp = () => { if (!stateDir) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 }); };
  const logFile = path.join(tempDir, 'server.log');
  const env = serverEnv(tempDir);
  fs.writeFileSync(path.join(tempDir, 'config.yaml'), '');
  if (settings) {
    // The web workbench keeps user settings on the server (in --user-data-dir), and reads them
    // before it decides where each extension runs: e.g. `remote.extensionKind`.
    const userDir = path.join(tempDir, 'user-data', 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  if (installVsix) {
    const vsix = path.resolve(installVsix);
    if (!fs.existsSync(vsix)) throw new Error(`--install-vsix: no such file ${vsix}`);
    log(`[vscode-host] installing ${vsix} into the temp extensions dir`);
    await runCli(['--force', '--install-extension', vsix], { tempDir, env, logFile });
  }

  port ??= await freePort();
  const authority = `127.0.0.1:${port}`;
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [
    path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
    ...commonArgs(tempDir),
    '--bind-addr', authority,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust', // tests must not stop at a "do you trust this folder?" prompt
    '--ignore-last-opened', // always what the URL says, never a remembered folder
  ], {
    env,
    // Own process group: code-server forks a child, which spawns the extension
    // host, pty host and file watcher. Killing -pid takes all of them down.
    detached: true,
    stdio: ['ignore', verbose ? 'pipe' : out, verbose ? 'pipe' : out],
  });
  if (verbose) {
    for (const s of [child.stdout, child.stderr]) s.on('data', (d) => { fs.appendFileSync(logFile, d); process.stderr.write(d); });
  }
  fs.closeSync(out);

  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, sig) => { exited = code ?? sig; resolve(exited); }));
  // Safety net: if this Node process dies without calling stop(), don't leave
  // a server (and its extension host) running. 'exit' handlers must be sync.
  const killGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
  const onExit = () => {
    killGroup('SIGKILL');
    try { removeTemp(); } catch { /* best effort */ }
  };
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    killGroup('SIGTERM');
    // Give it a moment to shut down cleanly, then make sure.
    await Promise.race([exitPromise, sleep(3000)]);
    killGroup('SIGKILL');
    removeTemp();
  };

  // Ready when /healthz answers (code-server takes a few seconds on 2 busy cores).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (signal?.aborted) {
      await stop();
      signal.throwIfAborted();
    }
    if (exited !== null) {
      const msg = `code-server exited (${exited}) before it was ready:\n${tail(logFile)}`;
      await stop();
      throw new Error(msg);
    }
    try {
      const res = await fetch(`http://${authority}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const msg = `code-server did not answer on http://${authority}/healthz within 60 s:\n${tail(logFile)}`;
      await stop();
      throw new Error(msg);
    }
    await sleep(200);
  }
  return { port, authority, baseUrl: `http://${authority}/`, tempDir, logFile, pid: child.pid, exited: exitPromise, stop };
}

/**
 * The workbench URL that loads `extensionDevelopmentPath` (and runs
 * `extensionTestsPath`, if given) in the server's Node extension host.
 * The web workbench reads these from the `payload` query parameter (a JSON
 * list of [key, value] pairs) as vscode-remote URIs on the server we browse.
 * `workspace` opens that folder; without it, an empty window.
 */
export function workbenchUrl(server, { extensionDevelopmentPath, extensionTestsPath, workspace } = {}) {
  const remote = (p) => `vscode-remote://${server.authority}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    // Without a debugId the workbench treats this as a "tests from the CLI"
    // run and forwards only console *errors* from the extension host (Electron
    // runs print the rest on the host's stdout, which code-server drops). With
    // one, every console call (so mocha's reporter) is re-logged in the page.
    // No debugger is attached: that would need an inspect port as well.
    payload.push(['debugId', 'vscode-host']);
  }
  const params = new URLSearchParams();
  // code-server turns an absolute path in `folder` into a vscode-remote folder.
  if (workspace) params.set('folder', path.resolve(workspace));
  else params.set('ew', 'true');
  if (payload.length) params.set('payload', JSON.stringify(payload));
  return `${server.baseUrl}?${params}`;
}

/**
 * Launches Debian's Chromium headless with a fresh profile.
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function launchBrowser({ profileDir } = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found: apt-get install chromium`);
  const keepProfile = profileDir !== undefined; // a caller's profile is the caller's to keep
  profileDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-chromium-'));
  fs.mkdirSync(profileDir, { recursive: true });
  const removeProfile = (opts) => { if (!keepProfile) fs.rmSync(profileDir, { recursive: true, force: true, ...opts }); };
  // A persistent context is how Playwright takes an explicit --user-data-dir;
  // it is fresh because the folder is new.
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      // Chromium's crash handler and caches follow XDG dirs, not the profile;
      // keep them in the throwaway folder too, not in the real ~/.config.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'), XDG_CACHE_HOME: path.join(profileDir, 'xdg-cache') },
      // We do our own signal handling so the server is stopped too, in order.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } catch (err) {
    removeProfile();
    throw new Error(`could not launch ${CHROMIUM_PATH} through playwright-core: ${err.message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  // If this process exits without close(): Playwright's own exit hook (added
  // during launch, so it runs before this one) kills Chromium; then the
  // profile can be removed without Chromium still writing into it.
  const onExit = () => { try { removeProfile(); } catch { /* best effort */ } };
  process.on('exit', onExit);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    await context.close().catch(() => {});
    removeProfile({ maxRetries: 3 });
  };
  return { context, page, close };
}

// Extension-host console calls reach the page as the workbench re-logs them:
//   console.log('%c[Extension Host] %c' + fmt, 'color: blue', 'color: ', ...rest)
// (or '%c[Extension Host]%', 'color: blue', ...args when the first argument is
// not a string, and maybe a trailing '(at file:line)' source hint). That is
// where mocha's reporter output ends up. Returns the line as Node's console
// would have printed it, or null for the workbench's own messages.
export async function extensionHostLine(msg) {
  const handles = msg.args();
  if (!handles.length) return null;
  const first = await handles[0].jsonValue().catch(() => null);
  if (typeof first !== 'string' || !first.startsWith('%c[Extension Host]')) return null;
  const values = await Promise.all(handles.slice(1).map((h) => h.jsonValue().catch(() => '[unserializable]')));
  const isHint = (v) => typeof v === 'string' && /^\(at .*\)$/s.test(v);
  let m;
  if ((m = /^%c\[Extension Host\] %c([\s\S]*?) %c(\(at [\s\S]*\))$/.exec(first)) && values.length === 3) {
    return m[1]; // a single string argument plus its source hint
  }
  if ((m = /^%c\[Extension Host\] %c([\s\S]*)$/.exec(first))) {
    const rest = values.slice(2); // drop the two css strings
    if (rest.length && isHint(rest[rest.length - 1])) rest.pop();
    return util.format(m[1], ...rest);
  }
  const rest = values.slice(1); // '%c[Extension Host]%' form: drop the css string
  if (rest.length && isHint(rest[rest.length - 1])) rest.pop();
  return rest.length ? util.format(...rest) : '';
}

/**
 * Starts the server and a browser, opens the workbench on the extension and
 * returns handles. The page gets `codeAutomationExit(code)`, which the
 * workbench calls when the extension tests finish; `exitCode` resolves then.
 *
 * @param {object} opts
 * @param {string}  opts.extensionDevelopmentPath  the extension folder (with package.json)
 * @param {string}  [opts.extensionTestsPath]      CommonJS module exporting run(): Promise<void>
 * @param {string}  [opts.workspace]               folder to open
 * @param {string}  [opts.installVsix]             .vsix to install first
 * @param {number}  [opts.port]
 * @param {string}  [opts.stateDir]                keep server user data and the browser profile here across runs (use with a fixed port: browser storage is per origin)
 * @param {object}  [opts.settings]                user settings for the run, e.g. { 'remote.extensionKind': { 'pub.name': ['web'] } } to run an extension in the web worker host
 * @param {boolean} [opts.verbose]                 also print workbench console + server log
 * @param {AbortSignal} [opts.signal]              give up starting: everything started so far is stopped, the promise rejects
 * @param {(line: string) => void} [opts.onOutput] extension-host console lines (default: stdout)
 * @param {(line: string) => void} [opts.log]      progress messages (default: stderr)
 * @returns {Promise<{ server, page, context, url: string, exitCode: Promise<number>, stop: () => Promise<void> }>}
 */
export async function startHost(opts) {
  const { extensionDevelopmentPath, extensionTestsPath, workspace, installVsix, port, stateDir, settings, verbose = false } = opts;
  const onOutput = opts.onOutput ?? ((line) => process.stdout.write(line + '\n'));
  const log = opts.log ?? ((s) => console.error(s));

  const { signal } = opts;
  const server = await startServer({ port, installVsix, verbose, signal, stateDir, settings, log });
  let browser;
  try {
    browser = await launchBrowser({ profileDir: stateDir ? path.join(stateDir, 'browser') : undefined }); // else its own temp profile
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { page, context } = browser;
  const stop = async () => {
    await browser.close();
    await server.stop();
  };

  let resolveExit;
  // Console lines are turned into text asynchronously (their arguments are
  // fetched from the page); a chain keeps them in order, and exitCode waits
  // for it so the summary is printed before the caller sees the result.
  let pending = Promise.resolve();
  const exitCode = new Promise((r) => { resolveExit = r; }).then(async (code) => {
    await sleep(100); // console events that were already on their way
    await pending;
    return code;
  });
  try {
    // The workbench calls this when the extension tests finish, with their
    // result (0 = passed); the second argument is its log files (unused).
    await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
    page.on('console', (msg) => {
      pending = pending.then(async () => {
        const line = await extensionHostLine(msg).catch(() => null);
        if (line !== null) onOutput(line);
        else if (verbose) log(`[workbench ${msg.type()}] ${msg.text()}`);
      });
    });
    page.on('pageerror', (err) => { if (verbose) log(`[workbench pageerror] ${err.message}`); });

    signal?.throwIfAborted();
    const url = workbenchUrl(server, { extensionDevelopmentPath, extensionTestsPath, workspace });
    // 'commit': return once the workbench page is on its way; its scripts take
    // seconds more to load, and the tests report back via codeAutomationExit.
    // (Callers driving the UI should wait for what they need, e.g.
    // page.waitForSelector('.monaco-workbench').)
    await page.goto(url, { waitUntil: 'commit' });
    signal?.throwIfAborted();
    return { server, page, context, url, exitCode, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export { REPO_ROOT };
