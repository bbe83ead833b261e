import * as l10n from '@vscode/l10n';
import type { Stage } from '../curriculum/types';

/**
 * What skip-ahead and reset would change, worked out from the manifest alone (no file is read)
 * so the confirmation can say exactly which files are replaced before anything happens.
 */
export type StageAction = { readonly kind: 'skip'; readonly to: number } | { readonly kind: 'resetStage'; readonly stage: number } | { readonly kind: 'resetProject' };

export interface PlannedFile {
  /** POSIX path relative to the project folder. */
  readonly rel: string;
  /** Which template the new content comes from. */
  readonly from: 'solution' | 'starter';
  /** Other stages (1-based) whose work is in the same file and is replaced with it. */
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
 * Skipping to stage `to` applies the reference versions of every file the earlier stages
 * list. A file that a later stage also lists comes with that stage's reference part too,
 * which the confirmation names.
 */
export function planSkip(stages: readonly Stage[], to: number): StagePlan {
  checkStage(stages, to);
  if (to < 2) throw new StagePlanError(l10n.t('Stage 1 is where every project starts: there is nothing before it to skip.'));
  requireFiles(stages);
  const earlier = new Set(stages.slice(0, to - 1).flatMap((s) => s.files));
  const files = [...earlier].sort().map((rel) => ({ rel, from: 'solution' as const, alsoIn: stagesListing(stages, rel).filter((n) => n >= to) }));
  return { action: { kind: 'skip', to }, files, label: `skip-to-stage-${to}` };
}

/** Resetting a stage puts the starter versions of its files back. */
export function planResetStage(stages: readonly Stage[], stage: number): StagePlan {
  checkStage(stages, stage);
  requireFiles(stages);
  const files = [...stages[stage - 1].files].sort().map((rel) => ({ rel, from: 'starter' as const, alsoIn: stagesListing(stages, rel).filter((n) => n !== stage) }));
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
