import type * as vscode from 'vscode';
import { NodeCurriculumSource } from '../curriculum/nodeSource';
import type { CurriculumSource } from '../curriculum/source';
import { VscodeCurriculumSource } from './vscodeSource';

/**
 * How the Node extension host reads the bundled curriculum. An installed extension lives on the
 * local disk, where Node's fs answers in microseconds; `vscode.workspace.fs` costs a round trip
 * per call (milliseconds in a remote host), which adds up over thousands of lessons. Any other
 * scheme goes through `workspace.fs`. The web build replaces this module with sourceFor.web.ts.
 */
export function curriculumSourceFor(root: vscode.Uri): CurriculumSource {
  return root.scheme === 'file' ? new NodeCurriculumSource(root.fsPath) : new VscodeCurriculumSource(root);
}
