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

const PROJECT_STATE_LABEL = { scaffolded: 'scaffolded', failing: 'tests failing', passing: 'tests passing' } as const;

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
      item = new vscode.TreeItem(`The course has ${n} ${n === 1 ? 'problem' : 'problems'}`, None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.description = 'click for details';
      item.tooltip = new vscode.MarkdownString(node.errors.slice(0, 10).map((p) => `- \`curriculum/${p.file}:${p.line}\`: ${escapeMd(p.message)}`).join('\n'));
      item.command = { command: 'backendCourse.showProblems', title: 'Show Curriculum Problems' };
      item.contextValue = 'problems';
      break;
    }
    case 'month': {
      const c = index ? countMonth(node.month, progress, index) : { done: 0, total: 0 };
      item = new vscode.TreeItem(`Month ${node.month.number}: ${node.month.title}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${c.done}/${c.total}`;
      item.iconPath = new vscode.ThemeIcon(c.total > 0 && c.done === c.total ? 'pass-filled' : 'calendar', c.total > 0 && c.done === c.total ? passed : undefined);
      item.tooltip = new vscode.MarkdownString(`**Month ${node.month.number}: ${escapeMd(node.month.title)}**\n\n${escapeMd(node.month.summary ?? '')}\n\n${c.done} of ${c.total} items complete`);
      item.contextValue = 'month';
      break;
    }
    case 'module': {
      const m = node.module;
      const c = index ? countModule(m, progress, index) : { done: 0, total: 0 };
      item = new vscode.TreeItem(`${m.number} ${m.title}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${c.done}/${c.total}`;
      item.iconPath = new vscode.ThemeIcon(c.total > 0 && c.done === c.total ? 'pass-filled' : 'library', c.total > 0 && c.done === c.total ? passed : undefined);
      item.tooltip = new vscode.MarkdownString(`**${m.number} ${escapeMd(m.title)}**\n\n${escapeMd(m.summary ?? '')}\n\n*Key concepts:* ${m.keyConcepts.map(escapeMd).join(', ')}\n\n${c.done} of ${c.total} items complete`);
      item.contextValue = 'module';
      break;
    }
    case 'lesson': {
      const l = node.lesson;
      const done = l.id in progress.lessons;
      item = new vscode.TreeItem(l.title, None);
      item.description = l.minutes ? `${l.minutes} min` : undefined;
      item.iconPath = done ? new vscode.ThemeIcon('pass-filled', passed) : new vscode.ThemeIcon('book');
      item.tooltip = new vscode.MarkdownString(`**${escapeMd(l.title)}**${l.minutes ? ` (${l.minutes} min)` : ''}\n\n${done ? `Completed ${progress.lessons[l.id].completedAt.slice(0, 10)}` : 'Not completed yet'}`);
      item.command = { command: 'backendCourse.openLesson', title: 'Open Lesson', arguments: [l.id] };
      item.contextValue = done ? 'lesson.complete' : 'lesson';
      break;
    }
    case 'reflection': {
      const m = node.module;
      const answered = m.prompts.filter((p) => (progress.answers[p.id]?.text ?? '').trim() !== '').length;
      const done = index ? isComplete({ kind: 'reflection', id: m.id }, progress, index) : false;
      item = new vscode.TreeItem('Reflection prompts', None);
      item.description = `${answered}/${m.prompts.length} answered`;
      item.iconPath = done ? new vscode.ThemeIcon('pass-filled', passed) : new vscode.ThemeIcon('comment-discussion');
      item.tooltip = `Answer the ${m.prompts.length} reflection prompts of module ${m.number}`;
      item.accessibilityInformation = { label: `Reflection prompts of module ${m.number}, ${answered} of ${m.prompts.length} answered${done ? ', complete' : ''}` };
      item.command = { command: 'backendCourse.openReflection', title: 'Open Reflection Prompts', arguments: [m.id] };
      item.contextValue = 'reflection';
      break;
    }
    case 'project': {
      const p = node.project;
      const state = progress.projects[p.id];
      item = new vscode.TreeItem(`Project: ${p.title}`, None);
      const run = state?.lastRun;
      const stages = run?.stagesTotal ? ` · stage ${run.stagesPassed ?? 0} of ${run.stagesTotal}` : '';
      const hints = hintsUsed(p, state?.hintsShown);
      item.description = (state ? `${PROJECT_STATE_LABEL[state.state]}${stages}` : 'not started') + (hints ? ` · ${hints} ${hints === 1 ? 'hint' : 'hints'} used` : '');
      item.iconPath =
        state?.state === 'passing' ? new vscode.ThemeIcon('pass-filled', passed)
        : state?.state === 'failing' ? new vscode.ThemeIcon('testing-failed-icon', new vscode.ThemeColor('testing.iconFailed'))
        : state?.state === 'scaffolded' ? new vscode.ThemeIcon('package')
        : new vscode.ThemeIcon('tools');
      item.tooltip = new vscode.MarkdownString(`**${escapeMd(p.title)}** (${p.language})\n\n${escapeMd(p.summary)}\n\n${p.stages.length} stages · tests: \`${p.testCommand}\``);
      item.command = { command: 'backendCourse.openProjectBrief', title: 'Open Project Brief', arguments: [p.id] };
      item.contextValue = `project.${state?.state ?? 'notStarted'}`;
      break;
    }
  }
  item.id = nodeId(node);
  return item;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}
