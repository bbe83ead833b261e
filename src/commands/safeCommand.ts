import * as vscode from 'vscode';

/**
 * Registers a command whose failures reach the learner as an error notification with the
 * message, instead of an unhandled rejection in the log. The result is still returned to
 * callers such as tests and other commands (undefined after an error).
 */
export function safeCommand(id: string, fn: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: any[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
      return undefined;
    }
  });
}
