import { dirname, type CurriculumSource, type EntryKind } from '../curriculum/source';

/**
 * A curriculum whose files are known in advance. In the web extension host an installed
 * extension is served over https (vscode.dev, github.dev): its files can be fetched one by one,
 * but a folder cannot be listed and every path stats as a file, so the loader could neither find
 * the lessons nor tell a project's starter folder from a file. The web build therefore takes the
 * list of curriculum/ (scripts/esbuild-web.mjs); folders and kinds come from it, and only file
 * contents are read, through `inner`.
 */
export class ListedCurriculumSource implements CurriculumSource {
  private readonly files: ReadonlySet<string>;
  /** Folder path ('' for the root) → names of its entries. */
  private readonly folders = new Map<string, Set<string>>([['', new Set()]]);

  constructor(private readonly inner: Pick<CurriculumSource, 'readText'>, files: readonly string[]) {
    this.files = new Set(files);
    for (const file of files) {
      for (let path = file; path; path = dirname(path)) {
        const parent = dirname(path);
        let names = this.folders.get(parent);
        if (!names) this.folders.set(parent, (names = new Set()));
        names.add(parent ? path.slice(parent.length + 1) : path);
      }
    }
  }

  async readText(path: string): Promise<string | undefined> {
    // A fetch of a missing file fails with a generic error, not "not found": do not ask.
    return this.files.has(path) ? this.inner.readText(path) : undefined;
  }

  async stat(path: string): Promise<EntryKind | undefined> {
    return this.files.has(path) ? 'file' : this.folders.has(path) ? 'directory' : undefined;
  }

  async list(path: string): Promise<readonly string[] | undefined> {
    const names = this.folders.get(path);
    return names && [...names];
  }
}
