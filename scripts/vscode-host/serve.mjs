#!/usr/bin/env node
// Serves VS Code (code-server) with the extension under development loaded,
// for a person to open in a browser. Runs until Ctrl-C.
//
//   node scripts/vscode-host/serve.mjs [--extension <dir>] [--workspace <folder>]
//        [--port <n>] [--install-vsix <file.vsix>] [--web] [--verbose]
//
// --extension defaults to the repo root (this project's own extension).
// --web runs it in the browser's web worker extension host (its package.json `browser` entry),
// as vscode.dev would, instead of the server's Node host (see README: the web worker host).
// --port defaults to 8080 when free, else any free port. The server listens
// on 127.0.0.1 only and has no password (auth none), so it is not exposed.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, freePort, isPortFree, startServer, workbenchUrl } from './host.mjs';

async function main() {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string', default: REPO_ROOT },
      workspace: { type: 'string' },
      port: { type: 'string' },
      'install-vsix': { type: 'string' },
      web: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node scripts/vscode-host/serve.mjs [--extension <dir>] [--workspace <folder>] [--port <n>] [--install-vsix <file.vsix>] [--web] [--verbose]');
    return;
  }
  const extension = path.resolve(values.extension);
  if (!fs.existsSync(path.join(extension, 'package.json'))) throw new Error(`--extension: no package.json in ${extension}`);

  let port;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
    if (!(await isPortFree(port))) throw new Error(`--port ${port} is already in use on 127.0.0.1`);
  } else {
    port = (await isPortFree(8080)) ? 8080 : await freePort();
  }

  const { publisher, name } = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  const settings = values.web ? { 'remote.extensionKind': { [`${publisher}.${name}`]: ['web'] } } : undefined;
  const server = await startServer({ port, installVsix: values['install-vsix'], settings, verbose: values.verbose });
  const url = workbenchUrl(server, {
    extensionDevelopmentPath: extension,
    workspace: values.workspace && path.resolve(values.workspace),
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.error('\n[vscode-host] stopping...');
    await server.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, shutdown);
  // Don't sit there serving nothing if code-server dies on its own.
  server.exited.then(async (how) => {
    if (stopping) return;
    console.error(`[vscode-host] code-server exited unexpectedly (${how}); log: ${server.logFile}`);
    console.error(fs.readFileSync(server.logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n'));
    stopping = true;
    await server.stop();
    process.exit(1);
  });

  console.error(`[vscode-host] code-server running (pid ${server.pid}, log ${server.logFile})`);
  console.error(`[vscode-host] extension under development: ${extension}`);
  console.error('[vscode-host] open this URL (Ctrl-C to stop):');
  // The URL alone on stdout, so scripts can read it.
  console.log(url);
}

main().catch((err) => {
  console.error(`[vscode-host] ${err.message}`);
  process.exit(1);
});
