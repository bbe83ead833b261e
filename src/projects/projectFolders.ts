import * as vscode from 'vscode';
import { readMarker, type Marker } from './scaffold';

export interface MarkedFolder {
  readonly folder: vscode.Uri;
  readonly marker: Marker;
}

/** Workspace folders that are scaffolded course projects (they hold the marker file). */
export async function projectFolders(): Promise<MarkedFolder[]> {
  const found: MarkedFolder[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const marker = await readMarker(f.uri.fsPath);
    if (marker) found.push({ folder: f.uri, marker });
  }
  return found;
}

/** The course project open in this window: the first marked workspace folder. */
export async function projectInWorkspace(): Promise<MarkedFolder | undefined> {
  return (await projectFolders())[0];
}
