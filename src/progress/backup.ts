import * as vscode from 'vscode';

/**
 * Copies a progress record that is about to be replaced into
 * `globalStorageUri/backups/progress-<time>.json`, so a reset, a corrupt record or one from a
 * newer version never destroys the learner's data. Returns the file's path.
 */
export async function backupProgress(storage: vscode.Uri, record: unknown, why: string, now = new Date()): Promise<string> {
  const dir = vscode.Uri.joinPath(storage, 'backups');
  await vscode.workspace.fs.createDirectory(dir);
  const file = vscode.Uri.joinPath(dir, `progress-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  const body = JSON.stringify({ savedAt: now.toISOString(), why, record }, null, 2);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(body));
  return file.scheme === 'file' ? file.fsPath : file.toString();
}
