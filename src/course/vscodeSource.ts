import * as vscode from 'vscode';
import type { CurriculumSource, EntryKind } from '../curriculum/source';

/** The bundled curriculum read through `workspace.fs`, which also works in the web extension host. */
export class VscodeCurriculumSource implements CurriculumSource {
  constructor(readonly root: vscode.Uri) {}

  uri(path: string): vscode.Uri {
    return path ? vscode.Uri.joinPath(this.root, ...path.split('/')) : this.root;
  }

  async readText(path: string): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(this.uri(path)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async stat(path: string): Promise<EntryKind | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(this.uri(path));
      return s.type & vscode.FileType.Directory ? 'directory' : 'file';
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(path: string): Promise<readonly string[] | undefined> {
    try {
      return (await vscode.workspace.fs.readDirectory(this.uri(path))).map(([name]) => name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'FileNotADirectory');
}
