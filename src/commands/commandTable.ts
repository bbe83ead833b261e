import * as vscode from 'vscode';

export type CommandHandler = (...args: any[]) => unknown;

/**
 * The course's command handlers by id. VS Code only sees the small stubs the activation entry
 * registers for every contributed command; each stub loads the core on first use and runs the
 * handler from this table. A handler's failure reaches the learner as an error notification
 * with its message, instead of an unhandled rejection in the log; the result (undefined after
 * an error) is still returned to callers such as tests and other commands.
 */
export class CommandTable {
  private readonly handlers = new Map<string, CommandHandler>();

  add(id: string, handler: CommandHandler): vscode.Disposable {
    if (this.handlers.has(id)) throw new Error(`command ${id} is added twice`);
    this.handlers.set(id, handler);
    return new vscode.Disposable(() => this.handlers.delete(id));
  }

  get ids(): readonly string[] {
    return [...this.handlers.keys()];
  }

  async run(id: string, args: readonly unknown[]): Promise<unknown> {
    const handler = this.handlers.get(id);
    try {
      if (!handler) throw new Error(vscode.l10n.t('Backend Course has no handler for the command {0}.', id));
      return await handler(...args);
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
      return undefined;
    }
  }
}
