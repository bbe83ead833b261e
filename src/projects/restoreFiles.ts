import * as l10n from '@vscode/l10n';
import { promises as fs } from 'fs';
import * as path from 'path';
import { assertSafeRelative, describeIoError } from './scaffold';
import type { StagePlan } from './stagePlan';

/**
 * Where the learner's versions go before skip-ahead or reset replaces them: a folder inside the
 * project, so they are found next to the code, that git ignores by its own `.gitignore`.
 */
export const BACKUP_DIR = '.course-backups';

export interface ApplyRequest {
  /** The learner's project folder. */
  readonly folder: string;
  /** The project's folder in the curriculum, holding starter/, solution/ and stages/ (the plan's `from`). */
  readonly templateDir: string;
  readonly plan: StagePlan;
  readonly now?: Date;
  /** Injected for tests: writes a file of the project. */
  readonly writeFile?: (file: string, data: Buffer) => Promise<void>;
}

export interface ApplyResult {
  /** Files whose content changed (the learner's version is in the backup). */
  readonly replaced: string[];
  /** Files the learner did not have. */
  readonly created: string[];
  /** Files the template does not have (moved into the backup). */
  readonly removed: string[];
  /** Files that already had the template's content. */
  readonly unchanged: string[];
  /** Absolute path of the backup, when anything was kept. */
  readonly backupDir?: string;
}

export class RestoreError extends Error {}

interface Step {
  readonly rel: string;
  readonly dest: string;
  readonly desired: Buffer | undefined;
  readonly current: Buffer | undefined;
}

/**
 * Applies a skip or reset plan. Everything is read and compared first; the learner's versions of
 * the files about to change are then copied to a new backup folder; only after every backup is
 * written does any file in the project change. A failure before that point leaves the project
 * untouched; a failure while writing still leaves every original in the backup.
 */
export async function applyPlan(req: ApplyRequest): Promise<ApplyResult> {
  const steps: Step[] = [];
  for (const file of req.plan.files) {
    assertSafeRelative(file.rel);
    const templateWhat =
      file.from === 'solution' ? l10n.t("the course's solution version of {0}", file.rel)
      : file.from === 'starter' ? l10n.t("the course's starter version of {0}", file.rel)
      : l10n.t("the course's {0} version of {1}", file.from, file.rel);
    const desired = await readIfFile(path.join(req.templateDir, ...file.from.split('/'), ...file.rel.split('/')), templateWhat);
    // Only the starter may lack a file (the reset then removes it, into the backup).
    if (desired === undefined && file.from !== 'starter') {
      throw new RestoreError(
        file.from === 'solution'
          ? l10n.t("The reference solution has no {0}, which the project's manifest lists. Nothing was changed; update the extension or report the course content.", file.rel)
          : l10n.t('The course has no {0} in {1}. Nothing was changed; update the extension or report the course content.', file.rel, file.from),
      );
    }
    const dest = path.join(req.folder, ...file.rel.split('/'));
    const current = await readIfFile(dest, l10n.t('{0} in your project', file.rel));
    steps.push({ rel: file.rel, dest, desired, current });
  }

  const result = { replaced: [] as string[], created: [] as string[], removed: [] as string[], unchanged: [] as string[] };
  const changing = steps.filter((s) => !sameContent(s.current, s.desired));
  for (const s of steps) if (!changing.includes(s)) result.unchanged.push(s.rel);
  const toKeep = changing.filter((s) => s.current !== undefined);

  let backupDir: string | undefined;
  if (toKeep.length) {
    backupDir = await createBackupFolder(req.folder, req.plan.label, req.now ?? new Date());
    for (const s of toKeep) {
      const copy = path.join(backupDir, ...s.rel.split('/'));
      await fs.mkdir(path.dirname(copy), { recursive: true });
      await fs.writeFile(copy, s.current as Buffer, { flag: 'wx' });
    }
  }

  for (const s of changing) {
    try {
      if (s.desired === undefined) {
        await fs.rm(s.dest);
        result.removed.push(s.rel);
      } else {
        await fs.mkdir(path.dirname(s.dest), { recursive: true });
        await (req.writeFile ?? writeWhole)(s.dest, s.desired);
        (s.current === undefined ? result.created : result.replaced).push(s.rel);
      }
    } catch (e) {
      const reason = describeIoError(e as NodeJS.ErrnoException);
      throw new RestoreError(
        backupDir
          ? l10n.t('Could not write {0}: {1}. Your versions of the files are in {2}.', s.rel, reason, backupDir)
          : l10n.t('Could not write {0}: {1}.', s.rel, reason),
      );
    }
  }
  return { ...result, backupDir };
}

/** Written beside the file and renamed over it, so an editor or a watcher never sees half a file. */
async function writeWhole(file: string, data: Buffer): Promise<void> {
  const temp = `${file}.course-${process.pid}.tmp`;
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** `<project>/.course-backups/<time>-<label>`, unique even for two runs in the same millisecond. */
async function createBackupFolder(folder: string, label: string, now: Date): Promise<string> {
  const root = path.join(folder, BACKUP_DIR);
  await fs.mkdir(root, { recursive: true });
  // Keeps the backups out of the learner's commits without editing their own .gitignore.
  await fs.writeFile(path.join(root, '.gitignore'), '# Backups made by the Backend Course extension before a skip or reset.\n*\n', { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const dir = path.join(root, n === 1 ? `${stamp}-${label}` : `${stamp}-${label}-${n}`);
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
    }
  }
}

/** The file's bytes; undefined when it does not exist. Refuses folders and symbolic links. */
async function readIfFile(file: string, what: string): Promise<Buffer | undefined> {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RestoreError(l10n.t('Could not read {0}: {1}. Nothing was changed.', what, describeIoError(e as NodeJS.ErrnoException)));
  }
  if (stat.isSymbolicLink()) throw new RestoreError(l10n.t('{0} is a symbolic link; replace it with a regular file first. Nothing was changed.', what));
  if (!stat.isFile()) throw new RestoreError(l10n.t('{0} is not a regular file (is it a folder?). Rename it first. Nothing was changed.', what));
  return fs.readFile(file);
}

function sameContent(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}
