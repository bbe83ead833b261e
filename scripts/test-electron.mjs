#!/usr/bin/env node
// The usual way, for a machine with internet: @vscode/test-electron downloads VS Code 1.100
// (the oldest version the extension supports) and runs the same integration suites as
// `npm run test:integration`, which uses the offline code-server host instead.
//   npm run test:electron [-- <vscode version, default 1.100.3>]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '..');
const workspace = mkdtempSync(join(tmpdir(), 'course-it-workspace-'));
try {
  await runTests({
    version: process.argv[2] ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`integration tests failed: ${e.message ?? e}`);
  process.exit(1);
}
