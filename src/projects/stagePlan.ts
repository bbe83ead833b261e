import * as l10n from '@vscode/l10n';
import type { Stage } from '../curriculum/types';

/**
 * What skip-ahead and reset would change, worked out from the manifest and the list of stage
 * snapshots (no file is read) so the confirmation can say exactly which files are replaced
 * before anything happens.
 *
 * A project's templates: `starter/` (where the learner begins), `solution/` (every stage done)
 * and, for files that several stages write, `stages/<stage id>/<file>`: the reference state of
 * the file right after that stage, with the later stages' parts still as the starter has them.
 */
export type StageAction = { readonly kind: 'skip'; readonly to: number } | { readonly kind: 'resetStage'; readonly stage: number } | { readonly kind: 'resetProject' };

export interface PlannedFile {
  /** POSIX path relative to the project folder. */
  readonly rel: string;
  /** The template folder the new content comes from: `starter`, `solution` or `stages/<stage id>`. */
  readonly from: string;
  /**
   * Other stages (1-based) whose work in this file is replaced with it: for a skip, later stages
   * whose reference part comes along (no snapshot to stop at); for a reset, stages whose work
   * in the file goes back to an earlier state too.
   */
  readonly alsoIn: readonly number[];
}

export interface StagePlan {
  readonly action: StageAction;
  readonly files: readonly PlannedFile[];
  /** A short name for the backup folder and messages, e.g. `skip-to-stage-3`. */
  readonly label: string;
}

export class StagePlanError extends Error {}

/**
 * Skipping to stage `to` puts in place the reference state of every file the earlier stages
 * list: the state after the last earlier stage that writes it. That is the solution's version
 * unless a later stage writes the file too; then it is that stage's snapshot, or, without one,
 * the solution's version with the later stage's part in it, which the confirmation names.
 * `snapshots` holds the snapshot files as `stages/<stage id>/<file>`.
 */
export function planSkip(stages: readonly Stage[], to: number, snapshots: ReadonlySet<string> = new Set()): StagePlan {
  checkStage(stages, to);
  if (to < 2) throw new StagePlanError(l10n.t('Stage 1 is where every project starts: there is nothing before it to skip.'));
  requireFiles(stages);
  const earlier = new Set(stages.slice(0, to - 1).flatMap((s) => s.files));
  const files = [...earlier].sort().map((rel): PlannedFile => {
    const listing = stagesListing(stages, rel);
    const later = listing.filter((n) => n >= to);
    if (!later.length) return { rel, from: 'solution', alsoIn: [] };
    const snapshot = snapshotAfter(stages, Math.max(...listing.filter((n) => n < to)), rel, snapshots);
    return snapshot ? { rel, from: snapshot, alsoIn: [] } : { rel, from: 'solution', alsoIn: later };
  });
  return { action: { kind: 'skip', to }, files, label: `skip-to-stage-${to}` };
}

/**
 * Resetting a stage puts back the state its files had before it: the snapshot after the last
 * earlier stage that writes the file, else the starter version (which takes that earlier
 * stage's work in the file back too, as the confirmation says).
 */
export function planResetStage(stages: readonly Stage[], stage: number, snapshots: ReadonlySet<string> = new Set()): StagePlan {
  checkStage(stages, stage);
  requireFiles(stages);
  const files = [...stages[stage - 1].files].sort().map((rel): PlannedFile => {
    const listing = stagesListing(stages, rel);
    const before = listing.filter((n) => n < stage);
    const snapshot = before.length ? snapshotAfter(stages, Math.max(...before), rel, snapshots) : undefined;
    return snapshot
      ? { rel, from: snapshot, alsoIn: listing.filter((n) => n > stage) }
      : { rel, from: 'starter', alsoIn: listing.filter((n) => n !== stage) };
  });
  if (!files.length) throw new StagePlanError(l10n.t('Stage {0} ({1}) changes no files of its own, so there is nothing to reset.', stage, stages[stage - 1].title));
  return { action: { kind: 'resetStage', stage }, files, label: `reset-stage-${stage}` };
}

/**
 * Resetting the whole project puts back every file the course provides (the starter's files
 * and any file only the solution has); files the learner added are left alone.
 */
export function planResetProject(starterFiles: readonly string[], solutionFiles: readonly string[]): StagePlan {
  const all = new Set([...starterFiles, ...solutionFiles]);
  return { action: { kind: 'resetProject' }, files: [...all].sort().map((rel) => ({ rel, from: 'starter' as const, alsoIn: [] })), label: 'reset-project' };
}

/** `stages/<id>` when the project has the reference state of `rel` right after stage `n`. */
function snapshotAfter(stages: readonly Stage[], n: number, rel: string, snapshots: ReadonlySet<string>): string | undefined {
  const folder = `stages/${stages[n - 1].id}`;
  return snapshots.has(`${folder}/${rel}`) ? folder : undefined;
}

/** 1-based numbers of the stages that list `rel`. */
function stagesListing(stages: readonly Stage[], rel: string): number[] {
  return stages.flatMap((s, i) => (s.files.includes(rel) ? [i + 1] : []));
}

function checkStage(stages: readonly Stage[], n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > stages.length) {
    throw new StagePlanError(
      stages.length === 1
        ? l10n.t('There is no stage {0}: this project has a single stage.', n)
        : l10n.t('There is no stage {0}: this project has stages 1 to {1}.', n, stages.length),
    );
  }
}

function requireFiles(stages: readonly Stage[]): void {
  if (!stages.some((s) => s.files.length)) {
    throw new StagePlanError(l10n.t("This project's manifest does not say which files each stage uses, so it cannot be skipped or reset stage by stage. Reset Project still works."));
  }
}

/**
 * The stages recorded as skipped (reference solution in place, not written by the learner) once
 * a plan has been applied. Skipping adds the earlier stages the learner had not passed yet; a
 * stage reset takes back that stage and every stage sharing its files (their reference parts
 * went back to the starter with them); a project reset clears the record.
 */
export function skippedAfter(stages: readonly Stage[], plan: StagePlan, skipped: readonly string[], stagesPassed: number): string[] {
  const action = plan.action;
  if (action.kind === 'resetProject') return [];
  if (action.kind === 'resetStage') {
    const undone = new Set([action.stage, ...plan.files.flatMap((f) => f.alsoIn)].map((n) => stages[n - 1]?.id));
    return skipped.filter((id) => !undone.has(id));
  }
  const added = stages.slice(stagesPassed, action.to - 1).map((s) => s.id);
  return stages.map((s) => s.id).filter((id) => skipped.includes(id) || added.includes(id));
}
