/**
 * Read-only access to a curriculum tree. The loader only sees this interface, so the same
 * code runs in the Node CLI (validator, renderer), in unit tests, and in the extension host
 * through `vscode.workspace.fs` (which also works in the web extension host).
 */
export type EntryKind = 'file' | 'directory';

export interface CurriculumSource {
  /** Text of a file, or undefined when it does not exist. Paths are POSIX, relative to the root. */
  readText(path: string): Promise<string | undefined>;
  /** Kind of the entry, or undefined when it does not exist. */
  stat(path: string): Promise<EntryKind | undefined>;
  /** Names of a directory's entries, or undefined when it is not a directory. */
  list(path: string): Promise<readonly string[] | undefined>;
}

/** Joins POSIX path segments and resolves `.`/`..`; returns undefined if the result escapes the root. */
export function joinInside(base: string, relative: string): string | undefined {
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative) || relative.includes('\\')) return undefined;
  const parts = base ? base.split('/').filter(Boolean) : [];
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  return parts.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
