import * as vscode from 'vscode';
import type { CommandTable } from './commandTable';
import { DESKTOP_DOWNLOAD_URL, DESKTOP_ONLY_COMMANDS, type DesktopOnlyCommand } from './desktopOnly';

/**
 * In the web extension host, every desktop-only command gets a handler that says why it cannot
 * run here and offers the download, so a link, a keybinding or another extension that runs one
 * gets an answer instead of "command not found" (and every contributed command has a handler).
 */
export function registerDesktopOnlyCommands(commands: CommandTable): vscode.Disposable[] {
  return DESKTOP_ONLY_COMMANDS.map((id) =>
    commands.add(id, () => {
      const download = vscode.l10n.t('Get VS Code Desktop');
      void vscode.window.showInformationMessage(desktopOnlyMessage(id), download).then((choice) => {
        if (choice === download) void vscode.env.openExternal(vscode.Uri.parse(DESKTOP_DOWNLOAD_URL));
      });
      return undefined;
    }),
  );
}

/** What the command would do on the desktop, why that is impossible here, and what to do instead. */
export function desktopOnlyMessage(id: DesktopOnlyCommand): string {
  return vscode.l10n.t(
    "{0}, so it needs VS Code desktop with the project's toolchain installed. Open the course there to build the projects; lessons, quizzes, reflections and your journal work here in the browser.",
    whatItDoes(id),
  );
}

function whatItDoes(id: DesktopOnlyCommand): string {
  switch (id) {
    case 'backendCourse.scaffoldProject':
      return vscode.l10n.t('Scaffolding a project copies its starter code into a folder on your disk and creates a git repository there');
    case 'backendCourse.runProjectTests':
      return vscode.l10n.t("Running a project's tests runs cargo test or mix test in a terminal");
    case 'backendCourse.runCurrentStage':
      return vscode.l10n.t("Running the current stage's tests runs cargo test or mix test on your machine");
    case 'backendCourse.toggleWatchMode':
      return vscode.l10n.t("Watch mode re-runs a project's tests on your machine whenever you save");
    case 'backendCourse.compareWithSolution':
      return vscode.l10n.t('Comparing with the reference solution opens your scaffolded project from your disk');
    case 'backendCourse.checkToolchains':
      return vscode.l10n.t('Checking toolchains runs cargo, mix, docker and kubectl on your machine');
    case 'backendCourse.showHint':
      return vscode.l10n.t("Hints follow the stage your project's tests reached on your machine");
    case 'backendCourse.skipToStage':
      return vscode.l10n.t('Skipping ahead copies solution files into your scaffolded project on your disk');
    case 'backendCourse.resetStage':
      return vscode.l10n.t('Resetting a stage copies starter files back into your scaffolded project on your disk');
    case 'backendCourse.resetProject':
      return vscode.l10n.t('Resetting a project copies its starter code back into your scaffolded project on your disk');
  }
}
