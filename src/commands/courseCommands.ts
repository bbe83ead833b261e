import * as vscode from 'vscode';
import type { CommandTable } from './commandTable';
import type { CourseModel } from '../course/courseModel';
import { buildJournal } from '../journal/journal';
import { homeFolder } from '../platform/homeFolder';
import type { ProgressStore } from '../progress/store';
import { nextItem } from '../progress/summary';
import type { CourseNode, CourseTreeProvider } from '../tree/courseTree';
import type { LessonPanels } from '../webview/lessonPanels';
import { saveAnswer, type ReflectionPanel } from '../webview/reflectionPanel';

export interface CommandDeps {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly lessons: () => LessonPanels;
  readonly reflections: () => ReflectionPanel;
  readonly tree: CourseTreeProvider;
  readonly treeView: vscode.TreeView<CourseNode>;
  readonly output: () => vscode.OutputChannel;
  readonly backup: (record: unknown, why: string) => Promise<string>;
  readonly commands: CommandTable;
}

/** Commands take an id (from code, links, tests) or a tree node (from menus). */
type Target = string | CourseNode | undefined;

function lessonIdOf(t: Target): string | undefined {
  return typeof t === 'string' ? t : t?.kind === 'lesson' ? t.lesson.id : undefined;
}

function ownerIdOf(t: Target): string | undefined {
  if (typeof t === 'string') return t;
  if (t?.kind === 'reflection' || t?.kind === 'module') return t.module.id;
  if (t?.kind === 'project') return t.project.id;
  return undefined;
}

/** Every command of the course view, added to `deps.commands`; the disposables go into `context.subscriptions`. */
export function registerCourseCommands(deps: CommandDeps): vscode.Disposable[] {
  const { model, store } = deps;
  const cmd = (id: string, fn: (...args: any[]) => unknown) => deps.commands.add(id, fn);

  const openLesson = async (t: Target, newPanel = false) => {
    const id = lessonIdOf(t) ?? (await pickLesson(deps));
    if (!id) return undefined;
    if (!(await model.require()).lesson(id)) throw new Error(vscode.l10n.t('There is no lesson "{0}" in this version of the course.', id));
    return deps.lessons().show({ kind: 'lesson', id }, { newPanel });
  };

  const currentLessonId = (t: Target): string | undefined =>
    lessonIdOf(t) ?? deps.lessons().open.find((p) => p.panel.active && p.doc?.kind === 'lesson')?.doc?.id;

  return [
    cmd('backendCourse.start', async () => {
      await store.start();
      const first = (await model.require()).lessons[0];
      if (first) await openLesson(first.id);
    }),
    cmd('backendCourse.browse', () => store.start()),
    cmd('backendCourse.openLesson', (t: Target) => openLesson(t)),
    cmd('backendCourse.openLessonToSide', (t: Target) => openLesson(t, true)),
    cmd('backendCourse.markComplete', async (t: Target) => {
      const id = currentLessonId(t);
      if (!id) throw new Error(vscode.l10n.t('Open a lesson first, or pick one in the course view.'));
      await store.setLessonComplete(id, true);
    }),
    cmd('backendCourse.markIncomplete', async (t: Target) => {
      const id = currentLessonId(t);
      if (id) await store.setLessonComplete(id, false);
    }),
    cmd('backendCourse.openReflection', async (t: Target) => {
      const id = ownerIdOf(t) ?? (await pickModule(deps));
      if (!id) return undefined;
      const index = await model.require();
      if (!index.module(id) && !index.project(id)) throw new Error(vscode.l10n.t('There are no reflection prompts for "{0}" in this version of the course.', id));
      return deps.reflections().show(id);
    }),
    cmd('backendCourse.openProjectBrief', async (t: Target) => {
      const id = typeof t === 'string' ? t : t?.kind === 'project' ? t.project.id : undefined;
      if (!id) return undefined;
      if (!(await model.require()).project(id)) throw new Error(vscode.l10n.t('There is no project "{0}" in this version of the course.', id));
      await store.setLastOpened({ kind: 'project', id });
      return deps.lessons().show({ kind: 'brief', id });
    }),
    cmd('backendCourse.continue', async () => {
      const index = await model.require();
      await store.start();
      const item = nextItem(store.snapshot, index);
      if (!item) {
        void vscode.window.showInformationMessage(vscode.l10n.t('You have completed every lesson, reflection and project of the course. Well done.'));
        return;
      }
      if (item.kind === 'lesson') {
        await openLesson(item.id);
        const node = await deps.tree.lessonNode(item.id);
        if (node && deps.treeView.visible) await deps.treeView.reveal(node, { select: true, focus: false });
      } else if (item.kind === 'reflection') {
        await deps.reflections().show(item.id);
      } else {
        await vscode.commands.executeCommand('backendCourse.openProjectBrief', item.id);
      }
    }),
    cmd('backendCourse.answerPrompt', async (promptId: string, text: string) => {
      if (typeof promptId !== 'string' || typeof text !== 'string') throw new Error(vscode.l10n.t('Backend Course: answerPrompt needs a prompt id and the answer text.'));
      await saveAnswer(store, await model.require(), promptId, text);
      await store.flush();
    }),
    cmd('backendCourse.exportJournal', async (target?: vscode.Uri) => exportJournal(deps, target instanceof vscode.Uri ? target : undefined)),
    cmd('backendCourse.resetProgress', async () => {
      const resetButton = vscode.l10n.t('Reset Progress');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Reset all course progress?'),
        { modal: true, detail: vscode.l10n.t('Completed lessons, quiz answers, project states and reflection answers are cleared. A backup of the current progress is saved first, and the journal export still works until you reset.') },
        resetButton,
      );
      if (choice !== resetButton) return;
      const where = await deps.backup(store.snapshot, 'before a reset requested by the learner');
      await store.reset();
      void vscode.window.showInformationMessage(vscode.l10n.t('Course progress was reset. A backup is at {0}.', where));
    }),
    cmd('backendCourse.reloadCurriculum', () => model.reload()),
    cmd('backendCourse.showProblems', async () => {
      const loaded = await model.reload();
      deps.output().show(true);
      if (!loaded.problems.length) void vscode.window.showInformationMessage(vscode.l10n.t('The curriculum has no problems.'));
    }),
  ];
}

async function pickLesson(deps: CommandDeps): Promise<string | undefined> {
  const index = await deps.model.require();
  const progress = deps.store.snapshot;
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [];
  for (const month of index.course.months) {
    items.push({ label: vscode.l10n.t('Month {0}: {1}', month.number, month.title), kind: vscode.QuickPickItemKind.Separator });
    for (const mod of month.modules) {
      for (const l of mod.lessons) {
        const done = l.id in progress.lessons;
        items.push({
          id: l.id,
          label: `${done ? '$(pass-filled)' : '$(book)'} ${l.title}`,
          description: `${mod.number} ${mod.title}`,
          detail: [l.minutes ? vscode.l10n.t('{0} min', l.minutes) : undefined, done ? vscode.l10n.t('completed') : undefined].filter(Boolean).join(' · ') || undefined,
        });
      }
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Open Lesson'), placeHolder: vscode.l10n.t('Type to search every lesson of the course'), matchOnDescription: true });
  return picked?.id;
}

async function pickModule(deps: CommandDeps): Promise<string | undefined> {
  const index = await deps.model.require();
  const prompts = (n: number) => (n === 1 ? vscode.l10n.t('1 prompt') : vscode.l10n.t('{0} prompts', n));
  const items = index.course.months.flatMap((m) => m.modules.map((mod) => ({ id: mod.id, label: `${mod.number} ${mod.title}`, description: prompts(mod.prompts.length) })));
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Open Reflection Prompts'), placeHolder: vscode.l10n.t('Pick a module') }))?.id;
}

/** Asks where to save unless a target is given (scripts and tests pass one). */
async function exportJournal(deps: CommandDeps, given?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const index = await deps.model.require();
  await deps.store.flush();
  const now = new Date();
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? homeFolder();
  const name = `reflection-journal-${now.toISOString().slice(0, 10)}.md`;
  const target = given ?? await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Reflection Journal'),
    saveLabel: vscode.l10n.t('Export'),
    defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
    filters: { Markdown: ['md'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(buildJournal(index, deps.store.snapshot, now)));
  const openButton = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Reflection journal exported to {0}.', target.fsPath || target.toString()), openButton).then((open) => {
    if (open === openButton) void vscode.window.showTextDocument(target);
  });
  return target;
}
