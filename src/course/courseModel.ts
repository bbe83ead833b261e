import * as vscode from 'vscode';
import { CourseIndex } from '../curriculum/courseIndex';
import { formatProblem, type Problem } from '../curriculum/types';
import type { CurriculumSource } from '../curriculum/source';
import { curriculumSourceFor } from './sourceFor';

export interface LoadedCourse {
  /** Undefined when course.json itself could not be used. */
  readonly index: CourseIndex | undefined;
  readonly problems: readonly Problem[];
  readonly errors: readonly Problem[];
}

/**
 * The curriculum as the running extension sees it. Loading is lazy (first tree expansion or
 * command), cached, and never throws: an unexpected failure becomes a problem like any other.
 */
export class CourseModel implements vscode.Disposable {
  /** Where the curriculum is, for webview resource URIs. */
  readonly root: vscode.Uri;
  readonly source: CurriculumSource;
  private loading: Promise<LoadedCourse> | undefined;
  private readonly changed = new vscode.EventEmitter<LoadedCourse>();
  readonly onDidReload = this.changed.event;

  constructor(readonly extensionUri: vscode.Uri, private readonly output: () => vscode.OutputChannel) {
    this.root = vscode.Uri.joinPath(extensionUri, 'curriculum');
    this.source = curriculumSourceFor(this.root);
  }

  load(): Promise<LoadedCourse> {
    this.loading ??= this.doLoad();
    return this.loading;
  }

  async reload(): Promise<LoadedCourse> {
    this.loading = this.doLoad();
    const loaded = await this.loading;
    this.changed.fire(loaded);
    return loaded;
  }

  /** The index, or an error the caller can show, for commands that need a usable course. */
  async require(): Promise<CourseIndex> {
    const { index } = await this.load();
    if (!index) throw new Error(vscode.l10n.t('The course could not be loaded. Run "Backend Course: Show Curriculum Problems" for details.'));
    return index;
  }

  private async doLoad(): Promise<LoadedCourse> {
    let problems: readonly Problem[];
    let index: CourseIndex | undefined;
    try {
      // Imported on first load: the loader brings ajv and the schemas, which activation never needs.
      const { loadCurriculum } = await import('../curriculum/loader');
      const result = await loadCurriculum(this.source);
      problems = result.problems;
      index = result.course ? new CourseIndex(result.course) : undefined;
    } catch (e) {
      problems = [{ file: 'course.json', line: 1, severity: 'error', message: `the curriculum could not be read: ${(e as Error).message}` }];
    }
    const errors = problems.filter((p) => p.severity === 'error');
    if (problems.length) {
      const out = this.output();
      out.appendLine(`Curriculum: ${errors.length} error(s), ${problems.length - errors.length} warning(s)`);
      for (const p of problems) out.appendLine(formatProblem(p));
    }
    return { index, problems, errors };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
