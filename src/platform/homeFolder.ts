import * as os from 'os';
import * as vscode from 'vscode';

/**
 * The learner's home folder, where save dialogs start when no folder is open. The web build
 * replaces this module with homeFolder.web.ts (a browser has no home folder, and no `os`).
 */
export function homeFolder(): vscode.Uri | undefined {
  return vscode.Uri.file(os.homedir());
}
