import * as l10n from '@vscode/l10n';
import { spawn } from 'child_process';

export interface ProcessResult {
  readonly exitCode: number;
  readonly output: string;
  readonly cancelled: boolean;
}

const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * Runs a project's test command in its folder through the shell, streaming output to `onOutput`
 * as it arrives, and kills the whole process tree when `signal` aborts (a cancelled run, or
 * watch mode starting a newer one): cargo and mix start children of their own.
 */
export function runProcess(command: string, cwd: string, onOutput: (text: string) => void, signal?: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    env.CARGO_TERM_COLOR ??= 'always';
    env.MIX_ENV ??= 'test';
    const child = spawn(command, { cwd, shell: true, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let cancelled = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-MAX_OUTPUT);
      onOutput(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      cancelled = true;
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill();
      } catch {
        // already gone
      }
    };
    if (signal?.aborted) kill();
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      signal?.removeEventListener('abort', kill);
      resolve({ exitCode: 127, output: `${output}\n${l10n.t('could not start "{0}": {1}', command, e.message)}\n`, cancelled });
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', kill);
      resolve({ exitCode: code ?? (sig ? 128 : 1), output, cancelled });
    });
  });
}
