import * as vscode from 'vscode';
import type { CourseModel, LoadedCourse } from '../course/courseModel';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Lesson, Module, Month, Problem, Project } from '../curriculum/types';
import type { ProgressStore } from '../progress/store';
import { countModule, countMonth, hintsUsed, isComplete } from '../progress/summary';

export type CourseNode =
  | { readonly kind: 'month'; readonly month: Month }
  | { readonly kind: 'module'; readonly module: Module }
  | { readonly kind: 'lesson'; readonly lesson: Lesson }
  | { readonly kind: 'reflection'; readonly module: Module }
  | { readonly kind: 'project'; readonly project: Project }
  | { readonly kind: 'problems'; readonly errors: readonly Problem[] };

function projectStateLabel(state: 'scaffolded' | 'failing' | 'passing'): string {
  switch (state) {
    case 'scaffolded':
      return vscode.l10n.t('scaffolded');
    case 'failing':
      return vscode.l10n.t('tests failing');
    case 'passing':
      return vscode.l10n.t('tests passing');
  }
}

/** Progress of a month or module: `3 of 7 items complete`. */
function itemsComplete(c: { done: number; total: number }): string {
  return c.total === 1 ? vscode.l10n.t('{0} of 1 item complete', c.done) : vscode.l10n.t('{0} of {1} items complete', c.done, c.total);
}

/**
 * Month → module → lessons, the module's reflection, its projects. Nodes are plain data over
 * the loaded course; progress decorates them (checks, counts) on every refresh.
 */
export class CourseTreeProvider implements vscode.TreeDataProvider<CourseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CourseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly parents = new Map<string, CourseNode>();

  constructor(private readonly model: CourseModel, private readonly store: ProgressStore) {
    this.disposables.push(
      this.changed,
      model.onDidReload(() => this.refresh()),
      { dispose: store.onDidChange(() => this.refresh()).dispose },
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: CourseNode): Promise<CourseNode[]> {
    const loaded = await this.model.load();
    const index = loaded.index;
    if (!node) return this.roots(loaded);
    let children: CourseNode[] = [];
    switch (node.kind) {
      case 'month':
        children = node.month.modules.map((module) => ({ kind: 'module', module }));
        break;
      case 'module':
        children = [
          ...node.module.lessons.map((lesson): CourseNode => ({ kind: 'lesson', lesson })),
          ...(node.module.prompts.length ? [{ kind: 'reflection', module: node.module } as CourseNode] : []),
          ...node.module.projects.map((project): CourseNode => ({ kind: 'project', project })),
        ];
        break;
      default:
        return [];
    }
    if (index) for (const c of children) this.parents.set(nodeId(c), node);
    return children;
  }

  private roots(loaded: LoadedCourse): CourseNode[] {
    const roots: CourseNode[] = [];
    if (loaded.errors.length) roots.push({ kind: 'problems', errors: loaded.errors });
    if (!loaded.index) return roots;
    // An empty tree shows the welcome view ("Start the course") until the learner starts.
    if (!this.store.snapshot.startedAt && !loaded.errors.length) return [];
    return [...roots, ...loaded.index.course.months.map((month): CourseNode => ({ kind: 'month', month }))];
  }

  getParent(node: CourseNode): CourseNode | undefined {
    return this.parents.get(nodeId(node));
  }

  async getTreeItem(node: CourseNode): Promise<vscode.TreeItem> {
    const { index } = await this.model.load();
    return treeItem(node, index, this.store);
  }

  /** Finds the node of a lesson (for `TreeView.reveal`). */
  async lessonNode(lessonId: string): Promise<CourseNode | undefined> {
    const { index } = await this.model.load();
    const lesson = index?.lesson(lessonId);
    if (!lesson || !index) return undefined;
    const mod = index.module(lesson.moduleId)!;
    const month = index.month(mod.monthId)!;
    const monthNode: CourseNode = { kind: 'month', month };
    const moduleNode: CourseNode = { kind: 'module', module: mod };
    this.parents.set(nodeId(moduleNode), monthNode);
    const node: CourseNode = { kind: 'lesson', lesson };
    this.parents.set(nodeId(node), moduleNode);
    return node;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function nodeId(node: CourseNode): string {
  switch (node.kind) {
    case 'month':
      return `month:${node.month.id}`;
    case 'module':
      return `module:${node.module.id}`;
    case 'lesson':
      return `lesson:${node.lesson.id}`;
    case 'reflection':
      return `reflection:${node.module.id}`;
    case 'project':
      return `project:${node.project.id}`;
    case 'problems':
      return 'problems';
  }
}

const passed = new vscode.ThemeColor('testing.iconPassed');

function treeItem(node: CourseNode, index: CourseIndex | undefined, store: ProgressStore): vscode.TreeItem {
  const progress = store.snapshot;
  const None = vscode.TreeItemCollapsibleState.None;
  let item: vscode.TreeItem;
  switch (node.kind) {
    case 'problems': {
      const n = node.errors.length;
      item = new vscode.TreeItem(n === 1 ? vscode.l10n.t('The course has 1 problem') : vscode.l10n.t('The course has {0} problems', n), None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.description = vscode.l10n.t('click for details');
      item.tooltip = new vscode.MarkdownString(node.errors.slice(0, 10).map((p) => `- \`curriculum/${p.file}:${p.line}\`: ${escapeMd(p.message)}`).join('\n'));
      item.command = { command: 'backendCourse.showProblems', title: vscode.l10n.t('Show Curriculum Problems') };
      item.contextValue = 'problems';
      break;
    }
    case 'month': {
      const c = index ? countMonth(node.month, progress, index) : { done: 0, total: 0 };
      item = new vscode.TreeItem(vscode.l10n.t('Month {0}: {1}', node.month.number, node.month.title), vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${c.done}/${c.total}`;
      item.iconPath = new vscode.ThemeIcon(c.total > 0 && c.done === c.total ? 'pass-filled' : 'calendar', c.total > 0 && c.done === c.total ? passed : undefined);
      item.tooltip = new vscode.MarkdownString(`**${vscode.l10n.t('Month {0}: {1}', node.month.number, escapeMd(node.month.title))}**\n\n${escapeMd(node.month.summary ?? '')}\n\n${itemsComplete(c)}`);
      item.contextValue = 'month';
      break;
    }
    case 'module': {
      const m = node.module;
      const c = index ? countModule(m, progress, index) : { done: 0, total: 0 };
      item = new vscode.TreeItem(`${m.number} ${m.title}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${c.done}/${c.total}`;
      item.iconPath = new vscode.ThemeIcon(c.total > 0 && c.done === c.total ? 'pass-filled' : 'library', c.total > 0 && c.done === c.total ? passed : undefined);
      item.tooltip = new vscode.MarkdownString(`**${m.number} ${escapeMd(m.title)}**\n\n${escapeMd(m.summary ?? '')}\n\n${vscode.l10n.t('*Key concepts:* {0}', m.keyConcepts.map(escapeMd).join(', '))}\n\n${itemsComplete(c)}`);
      item.contextValue = 'module';
      break;
    }
    case 'lesson': {
      const l = node.lesson;
      const done = l.id in progress.lessons;
      item = new vscode.TreeItem(l.title, None);
      item.description = l.minutes ? vscode.l10n.t('{0} min', l.minutes) : undefined;
      item.iconPath = done ? new vscode.ThemeIcon('pass-filled', passed) : new vscode.ThemeIcon('book');
      const heading = l.minutes ? vscode.l10n.t('{0} ({1} min)', `**${escapeMd(l.title)}**`, l.minutes) : `**${escapeMd(l.title)}**`;
      item.tooltip = new vscode.MarkdownString(`${heading}\n\n${done ? vscode.l10n.t('Completed {0}', progress.lessons[l.id].completedAt.slice(0, 10)) : vscode.l10n.t('Not completed yet')}`);
      item.command = { command: 'backendCourse.openLesson', title: vscode.l10n.t('Open Lesson'), arguments: [l.id] };
      item.contextValue = done ? 'lesson.complete' : 'lesson';
      break;
    }
    case 'reflection': {
      const m = node.module;
      const answered = m.prompts.filter((p) => (progress.answers[p.id]?.text ?? '').trim() !== '').length;
      const done = index ? isComplete({ kind: 'reflection', id: m.id }, progress, index) : false;
      item = new vscode.TreeItem(vscode.l10n.t('Reflection prompts'), None);
      item.description = vscode.l10n.t('{0}/{1} answered', answered, m.prompts.length);
      item.iconPath = done ? new vscode.ThemeIcon('pass-filled', passed) : new vscode.ThemeIcon('comment-discussion');
      item.tooltip = m.prompts.length === 1
        ? vscode.l10n.t('Answer the reflection prompt of module {0}', m.number)
        : vscode.l10n.t('Answer the {0} reflection prompts of module {1}', m.prompts.length, m.number);
      item.accessibilityInformation = {
        label: done
          ? vscode.l10n.t('Reflection prompts of module {0}, {1} of {2} answered, complete', m.number, answered, m.prompts.length)
          : vscode.l10n.t('Reflection prompts of module {0}, {1} of {2} answered', m.number, answered, m.prompts.length),
      };
      item.command = { command: 'backendCourse.openReflection', title: vscode.l10n.t('Open Reflection Prompts'), arguments: [m.id] };
      item.contextValue = 'reflection';
      break;
    }
    case 'project': {
      const p = node.project;
      const state = progress.projects[p.id];
      item = new vscode.TreeItem(vscode.l10n.t('Project: {0}', p.title), None);
      const run = state?.lastRun;
      const hints = hintsUsed(p, state?.hintsShown);
      item.description = [
        state ? projectStateLabel(state.state) : vscode.l10n.t('not started'),
        state && run?.stagesTotal ? vscode.l10n.t('stage {0} of {1}', run.stagesPassed ?? 0, run.stagesTotal) : undefined,
        hints ? (hints === 1 ? vscode.l10n.t('1 hint used') : vscode.l10n.t('{0} hints used', hints)) : undefined,
        skippedLabel(state?.stagesSkipped?.length ?? 0),
      ].filter(Boolean).join(' · ');
      item.iconPath =
        state?.state === 'passing' ? new vscode.ThemeIcon('pass-filled', passed)
        : state?.state === 'failing' ? new vscode.ThemeIcon('testing-failed-icon', new vscode.ThemeColor('testing.iconFailed'))
        : state?.state === 'scaffolded' ? new vscode.ThemeIcon('package')
        : new vscode.ThemeIcon('tools');
      const stageCount = p.stages.length === 1 ? vscode.l10n.t('1 stage') : vscode.l10n.t('{0} stages', p.stages.length);
      item.tooltip = new vscode.MarkdownString(`**${escapeMd(p.title)}** (${p.language})\n\n${escapeMd(p.summary)}\n\n${stageCount} · ${vscode.l10n.t('tests: {0}', `\`${p.testCommand}\``)}`);
      item.command = { command: 'backendCourse.openProjectBrief', title: vscode.l10n.t('Open Project Brief'), arguments: [p.id] };
      item.contextValue = `project.${state?.state ?? 'notStarted'}`;
      break;
    }
  }
  item.id = nodeId(node);
  return item;
}

/** Stages whose reference solution Skip Ahead applied: shown so progress never overstates. */
function skippedLabel(n: number): string | undefined {
  if (n === 0) return undefined;
  return n === 1 ? vscode.l10n.t('1 stage skipped') : vscode.l10n.t('{0} stages skipped', n);
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}
