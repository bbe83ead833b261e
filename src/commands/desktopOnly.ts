/**
 * Commands that need VS Code desktop: they write a project into a folder on the learner's disk,
 * run its toolchain (cargo, mix, git) in a process or terminal, or follow the results those runs
 * recorded. The web extension host (vscode.dev, github.dev) has neither a terminal nor a local
 * disk, so there each of them explains this instead (desktopOnlyCommands.ts), and package.json
 * hides them from the palette, the course view and the walkthrough with `shellExecutionSupported`
 * (not `isWeb`, which is also true for a browser talking to a VS Code server, where the server's
 * Node extension host runs them fine).
 *
 * Plain data, with no `vscode` import, so unit tests can check package.json against it.
 */
export const DESKTOP_ONLY_COMMANDS = [
  'backendCourse.scaffoldProject',
  'backendCourse.runProjectTests',
  'backendCourse.runCurrentStage',
  'backendCourse.toggleWatchMode',
  'backendCourse.compareWithSolution',
  'backendCourse.checkToolchains',
  'backendCourse.showHint',
  'backendCourse.skipToStage',
  'backendCourse.resetStage',
  'backendCourse.resetProject',
] as const;

export type DesktopOnlyCommand = (typeof DESKTOP_ONLY_COMMANDS)[number];

/** Where to get VS Code desktop; the explanation's button opens it. */
export const DESKTOP_DOWNLOAD_URL = 'https://code.visualstudio.com/download';
