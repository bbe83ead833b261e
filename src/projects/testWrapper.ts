/**
 * Runs a project's test command for the "Run Project Tests" task: output goes straight to the
 * terminal as usual, and a copy is read to write a small JSON result (exit code and each test's
 * outcome) for the extension, which cannot read a task terminal's output itself.
 *
 *   node testWrapper.js <result.json> <shell command…>
 *
 * Bundled as dist/testWrapper.js and run with VS Code's own Node (ELECTRON_RUN_AS_NODE=1).
 */
import { spawn } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parseTestOutput } from './testResults';

const [resultFile, ...commandParts] = process.argv.slice(2);
if (!resultFile || commandParts.length === 0) {
  console.error('usage: testWrapper <result.json> <command…>');
  process.exit(2);
}
const command = commandParts.join(' ');
const started = Date.now();
// ELECTRON_RUN_AS_NODE was only for us; the learner's tools must not inherit it.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
// Output goes through a pipe; keep the colours the learner would see in a terminal.
if (process.stdout.isTTY) env.CARGO_TERM_COLOR ??= 'always';
const child = spawn(command, { shell: true, stdio: ['inherit', 'pipe', 'pipe'], env });
let output = '';
const MAX = 8 * 1024 * 1024; // keep the tail if a run is enormous
const keep = (chunk: Buffer) => {
  output += chunk.toString('utf8');
  if (output.length > MAX) output = output.slice(-MAX);
};
child.stdout.on('data', (c: Buffer) => {
  process.stdout.write(c);
  keep(c);
});
child.stderr.on('data', (c: Buffer) => {
  process.stderr.write(c);
  keep(c);
});
child.on('error', (e) => finish(127, `could not start "${command}": ${e.message}`));
child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));

function finish(exitCode: number, error?: string): void {
  if (error) console.error(error);
  mkdirSync(path.dirname(resultFile), { recursive: true });
  writeFileSync(resultFile, JSON.stringify({ exitCode, seconds: (Date.now() - started) / 1000, outcomes: parseTestOutput(output.replace(/\x1b\[[0-9;]*m/g, '')) }));
  process.exit(exitCode);
}
