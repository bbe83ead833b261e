import type * as vscode from 'vscode';
import type { CurriculumSource } from '../curriculum/source';
import { VscodeCurriculumSource } from './vscodeSource';

/** In the web extension host there is no Node fs: the curriculum is read through `workspace.fs`. */
export function curriculumSourceFor(root: vscode.Uri): CurriculumSource {
  return new VscodeCurriculumSource(root);
}
