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
        const reason =
          code === 'ENOENT' ? `\`${tool.command}\` is not on the PATH`
          : (error as { killed?: boolean }).killed ? `\`${tool.command} ${tool.versionArgs.join(' ')}\` did not answer within ${(options.timeoutMs ?? 10000) / 1000} s`
          : `\`${tool.command} ${tool.versionArgs.join(' ')}\` failed: ${(stderr || error.message).trim().split('\n')[0]}`;
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
