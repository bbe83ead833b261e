import type * as vscode from 'vscode';
import type * as desktop from './sourceFor';
import { ListedCurriculumSource } from './listedSource';
import { VscodeCurriculumSource } from './vscodeSource';

/** The files of curriculum/ when the web bundle was built: scripts/build.mjs defines it. */
declare const __CURRICULUM_FILES__: readonly string[];

/**
 * In the web extension host there is no Node fs: file contents are read through
 * `workspace.fs`, and folders and kinds come from the list taken at build time, because the
 * https file system an installed web extension is served from cannot list folders.
 */
export const curriculumSourceFor: typeof desktop.curriculumSourceFor = (root: vscode.Uri) =>
  new ListedCurriculumSource(new VscodeCurriculumSource(root), __CURRICULUM_FILES__);
