#!/usr/bin/env node
// Integration tests in a real VS Code extension host (offline: code-server + Chromium, see
// scripts/vscode-host/). Three parts:
//   1. test/integration: every suite, in one host, with an empty folder open as the workspace;
//   2. test/restart: the same state directory used by two hosts one after the other, so an
//      answer saved in the first must be found by the extension activated in the second;
//   3. test/web: the web entry (package.json `browser`) in the web worker extension host
//      (scripts/test-web.mjs, also `npm run test:web` on its own).
// Expects `npm run build` and the compiled tests (out/) to exist; `npm run test:integration` does both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runWebTests } from './test-web.mjs';
import { freePort } from './vscode-host/host.mjs';
import { runTests } from './vscode-host/run-tests.mjs';

const root = resolve(import.meta.dirname, '..');
const timeout = Number(process.env.BACKEND_COURSE_TEST_TIMEOUT ?? 15 * 60 * 1000);
const failures = [];

const workspace = mkdtempSync(join(tmpdir(), 'course-it-workspace-'));
const code = await runTests({ extensionDevelopmentPath: root, extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'), workspace, timeout });
if (code !== 0) failures.push(`integration suites (exit ${code})`);
rmSync(workspace, { recursive: true, force: true });

const stateDir = mkdtempSync(join(tmpdir(), 'course-it-state-'));
const port = await freePort();
process.env.BACKEND_COURSE_RESTART_TOKEN = String(Date.now());
for (const phase of ['write', 'read']) {
  process.env.BACKEND_COURSE_TEST_PHASE = phase;
  const c = await runTests({ extensionDevelopmentPath: root, extensionTestsPath: join(root, 'out', 'test', 'restart', 'index.js'), stateDir, port, timeout: 5 * 60 * 1000 });
  if (c !== 0) {
    failures.push(`restart ${phase} (exit ${c})`);
    break;
  }
}
rmSync(stateDir, { recursive: true, force: true });

const web = await runWebTests({ timeout: 5 * 60 * 1000 });
if (web !== 0) failures.push(`web entry (exit ${web})`);

if (failures.length) {
  console.error(`\nintegration tests FAILED: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nintegration tests passed (suites in one host; progress kept across a host restart; the web entry in the web worker host)');
process.exit(0);
