import * as l10n from '@vscode/l10n';
import { promises as fs } from 'fs';
import * as path from 'path';

/** Written into every scaffolded project so the extension recognises it when it is opened. */
export const MARKER_FILE = '.backend-course.json';

export interface Marker {
  readonly projectId: string;
  readonly curriculumVersion: string;
  readonly scaffoldedAt: string;
}

export class ScaffoldError extends Error {
  constructor(message: string, readonly kind: 'unsafe-template' | 'target-not-empty' | 'io') {
    super(message);
  }
}

/** One file of a template, by its POSIX path relative to the template root. */
export interface TemplateFile {
  readonly relPath: string;
  readonly absPath: string;
}

/**
 * Lists a template's files, refusing anything that could write outside the target folder:
 * symbolic links, names with `..` or absolute paths (which a crafted curriculum could contain).
 */
export async function listTemplate(templateDir: string): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      assertSafeRelative(relPath);
      const abs = path.join(dir, e.name);
      if (e.isSymbolicLink()) throw new ScaffoldError(l10n.t('template entry "{0}" is a symbolic link; templates may only contain files and folders', relPath), 'unsafe-template');
      if (e.isDirectory()) {
        // Build products never belong in a learner's fresh copy.
        if (e.name === 'target' || e.name === '_build' || e.name === 'deps' || e.name === 'node_modules') continue;
        await walk(abs, relPath);
      } else if (e.isFile()) {
        if (e.name === 'Cargo.lock' && rel === '') continue; // resolved by the learner's own cargo
        files.push({ relPath, absPath: abs });
      } else {
        throw new ScaffoldError(l10n.t('template entry "{0}" is not a regular file', relPath), 'unsafe-template');
      }
    }
  };
  await walk(templateDir, '');
  return files;
}

/** Throws unless `rel` stays inside whatever folder it is joined to. */
export function assertSafeRelative(rel: string): void {
  const parts = rel.split(/[\\/]/);
  if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || parts.some((p) => p === '..' || p === '') ) {
    throw new ScaffoldError(l10n.t('template path "{0}" would escape the target folder', rel), 'unsafe-template');
  }
}

/** True when `dir` does not exist or is an empty folder. Throws if it is a file. */
export async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new ScaffoldError(l10n.t('{0} exists and is a file, not a folder', dir), 'target-not-empty');
    return (await fs.readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

export interface ScaffoldRequest {
  readonly projectId: string;
  readonly curriculumVersion: string;
  readonly starterDir: string;
  readonly briefFile: string;
  readonly target: string;
  readonly now?: Date;
  /** Called after each file, for a progress notification. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Injected for tests: the file copy. */
  readonly copyFile?: (from: string, to: string) => Promise<void>;
}

/**
 * Copies a project's starter into an empty (or new) target folder, adds the brief as
 * README.md and the marker file. Never overwrites: a non-empty target is refused. If anything
 * fails half-way, everything this call created is removed before the error is rethrown.
 */
export async function scaffold(req: ScaffoldRequest): Promise<{ files: number }> {
  if (!(await isEmptyOrMissing(req.target))) {
    throw new ScaffoldError(l10n.t('{0} is not empty; pick an empty or new folder', req.target), 'target-not-empty');
  }
  const files = await listTemplate(req.starterDir);
  const createdRoot = !(await exists(req.target));
  const created: string[] = [];
  const copy = req.copyFile ?? ((a: string, b: string) => fs.copyFile(a, b, fs.constants?.COPYFILE_EXCL ?? 0));
  try {
    await fs.mkdir(req.target, { recursive: true });
    let done = 0;
    for (const f of files) {
      const dest = path.join(req.target, ...f.relPath.split('/'));
      await mkdirp(path.dirname(dest), req.target, created);
      await copy(f.absPath, dest);
      created.push(dest);
      req.onProgress?.(++done, files.length + 2);
    }
    const readme = path.join(req.target, 'README.md');
    if (!(await exists(readme))) {
      await copy(req.briefFile, readme);
      created.push(readme);
    }
    const marker: Marker = { projectId: req.projectId, curriculumVersion: req.curriculumVersion, scaffoldedAt: (req.now ?? new Date()).toISOString() };
    const markerPath = path.join(req.target, MARKER_FILE);
    await fs.writeFile(markerPath, JSON.stringify(marker, null, 2) + '\n', { flag: 'wx' });
    created.push(markerPath);
    req.onProgress?.(files.length + 2, files.length + 2);
    return { files: files.length };
  } catch (e) {
    await cleanup(req.target, createdRoot, created);
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ScaffoldError) throw e;
    throw new ScaffoldError(l10n.t('could not create the project in {0}: {1}. Nothing was left behind.', req.target, describeIoError(err)), 'io');
  }
}

async function mkdirp(dir: string, root: string, created: string[]): Promise<void> {
  if (dir === root || (await exists(dir))) return;
  await mkdirp(path.dirname(dir), root, created);
  await fs.mkdir(dir);
  created.push(dir);
}

/** Removes, in reverse order, exactly what a failed scaffold created. */
async function cleanup(target: string, createdRoot: boolean, created: string[]): Promise<void> {
  for (const p of [...created].reverse()) {
    await fs.rm(p, { recursive: false, force: true }).catch(() => fs.rmdir(p).catch(() => undefined));
  }
  if (createdRoot) await fs.rmdir(target).catch(() => undefined);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

export function describeIoError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return l10n.t('permission denied (choose a folder you can write to)');
    case 'ENOSPC':
      return l10n.t('the disk is full');
    case 'EROFS':
      return l10n.t('the file system is read-only');
    case 'EEXIST':
      return e.path ? l10n.t('a file already exists at {0}', e.path) : l10n.t('a file already exists at the target');
    default:
      return e.message;
  }
}

export async function readMarker(folder: string): Promise<Marker | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(path.join(folder, MARKER_FILE), 'utf8')) as Partial<Marker>;
    return typeof value.projectId === 'string' && typeof value.curriculumVersion === 'string' ? (value as Marker) : undefined;
  } catch {
    return undefined;
  }
}
