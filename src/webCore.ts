import { registerDesktopOnlyCommands } from './commands/desktopOnlyCommands';
import { DESKTOP_ONLY_COMMANDS } from './commands/desktopOnly';
import { startCourseCore, type CourseCore, type CoreHost } from './courseCore';

/** The running course in the web extension host (vscode.dev, github.dev). */
export interface WebCore extends CourseCore {
  /** The commands that only explain here that they need VS Code desktop. */
  readonly desktopOnly: readonly string[];
}

/**
 * Builds the course for the web extension host: everything that needs only the `vscode` API
 * (courseCore.ts), and, in place of the projects (a terminal, a toolchain, the local disk), a
 * handler per desktop-only command that says so.
 */
export async function startWebCore(host: CoreHost): Promise<WebCore> {
  const core = await startCourseCore(host);
  host.context.subscriptions.push(...registerDesktopOnlyCommands(core.commands));
  return { ...core, desktopOnly: DESKTOP_ONLY_COMMANDS };
}
