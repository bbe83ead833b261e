import { promises as fs } from 'fs';
import * as path from 'path';
import type { CurriculumSource, EntryKind } from './source';

/** A curriculum on the local disk, for the CLI tools and unit tests. */
export class NodeCurriculumSource implements CurriculumSource {
  constructor(readonly root: string) {}

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  async readText(rel: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.abs(rel), 'utf8');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async stat(rel: string): Promise<EntryKind | undefined> {
    try {
      const s = await fs.stat(this.abs(rel));
      return s.isDirectory() ? 'directory' : 'file';
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(rel: string): Promise<readonly string[] | undefined> {
    try {
      return await fs.readdir(this.abs(rel));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
