import * as l10n from '@vscode/l10n';
import { execFile } from 'child_process';
import type { Toolchain } from '../curriculum/types';

export type ToolStatus =
  | { readonly tool: Toolchain; readonly found: true; readonly version: string }
  | { readonly tool: Toolchain; readonly found: false; readonly reason: string };

/**
 * Runs `<command> --version` (or the manifest's versionArgs) without a shell, with a timeout,
 * and reports the first line it prints. A missing tool, a crash or a hang are all "not found",
 * each with a reason the learner can act on.
 */
export function checkTool(tool: Toolchain, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ToolStatus> {
  return new Promise((resolve) => {
    execFile(tool.command, [...tool.versionArgs], { env: options.env ?? process.env, timeout: options.timeoutMs ?? 10000, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const invocation = `\`${tool.command} ${tool.versionArgs.join(' ')}\``;
        const reason =
          code === 'ENOENT' ? l10n.t('{0} is not on the PATH', `\`${tool.command}\``)
          : (error as { killed?: boolean }).killed ? l10n.t('{0} did not answer within {1} s', invocation, (options.timeoutMs ?? 10000) / 1000)
          : l10n.t('{0} failed: {1}', invocation, (stderr || error.message).trim().split('\n')[0]);
        resolve({ tool, found: false, reason });
        return;
      }
      const version = (stdout || stderr).trim().split('\n')[0] ?? '';
      resolve({ tool, found: true, version });
    });
  });
}

export async function checkTools(tools: readonly Toolchain[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ToolStatus[]> {
  return Promise.all(tools.map((t) => checkTool(t, options)));
}
