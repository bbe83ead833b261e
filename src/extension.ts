import * as vscode from 'vscode';
import { registerCourseCommands } from './commands/courseCommands';
import { CourseModel } from './course/courseModel';
import { backupProgress } from './progress/backup';
import { registerProjectCommands } from './projects/projectCommands';
import { PROGRESS_KEY, ProgressStore } from './progress/store';
import { ProgressStatus } from './status/progressStatus';
import { CourseTreeProvider, type CourseNode } from './tree/courseTree';
import { LESSON_VIEW_TYPE, LessonPanels } from './webview/lessonPanels';
import type { LessonPanelState, ReflectionPanelState } from './webview/messages';
import { REFLECTION_VIEW_TYPE, ReflectionPanel } from './webview/reflectionPanel';

/** What `activate` returns: the running parts, for integration tests and other extensions. */
export interface CourseApi {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly tree: CourseTreeProvider;
  lessons(): LessonPanels;
  reflections(): ReflectionPanel;
}

/**
 * Wiring only: create the parts, register them, return. The curriculum is read on first use
 * (tree expansion, a command, the status bar after start-up), never during activation.
 */
export async function activate(context: vscode.ExtensionContext): Promise<CourseApi> {
  let output: vscode.LogOutputChannel | undefined;
  const getOutput = () => (output ??= track(context, vscode.window.createOutputChannel('Backend Course', { log: true })));
  const backup = (record: unknown, why: string) => backupProgress(context.globalStorageUri, record, why);

  context.globalState.setKeysForSync([PROGRESS_KEY]);
  const { store, notice } = await ProgressStore.open(context.globalState, {
    backup,
    onWriteError: (e) => void vscode.window.showErrorMessage(`Backend Course could not save your progress: ${(e as Error).message}`),
  });
  if (notice) {
    getOutput().warn(`Progress record not used: ${notice.reason}${notice.backup ? ` (backup: ${notice.backup})` : ''}`);
    void vscode.window.showWarningMessage(`Backend Course started with fresh progress because the saved record ${notice.reason}.${notice.backup ? ` It was backed up to ${notice.backup}.` : ''}`);
  }

  const model = track(context, new CourseModel(context.extensionUri, getOutput));
  const tree = track(context, new CourseTreeProvider(model, store));
  const treeView = track(context, vscode.window.createTreeView<CourseNode>('backendCourse.course', { treeDataProvider: tree, showCollapseAll: true }));

  let lessons: LessonPanels | undefined;
  let reflections: ReflectionPanel | undefined;
  const getReflections = () => (reflections ??= track(context, new ReflectionPanel(context.extensionUri, model, store)));
  const getLessons = () =>
    (lessons ??= track(context, new LessonPanels({ extensionUri: context.extensionUri, model, store, openReflection: (id) => getReflections().show(id) })));

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(LESSON_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: LessonPanelState | undefined) => getLessons().restore(panel, state),
    }),
    vscode.window.registerWebviewPanelSerializer(REFLECTION_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: ReflectionPanelState | undefined) => getReflections().restore(panel, state),
    }),
    ...registerCourseCommands({ model, store, lessons: getLessons, reflections: getReflections, tree, treeView, output: getOutput, backup }),
    ...registerProjectCommands({ context, model, store, openReflection: (id) => getReflections().show(id) }),
  );

  const status = track(context, new ProgressStatus(model, store));
  // After activation returns: the status bar needs the curriculum, activation does not.
  setTimeout(() => void status.update(), 0);

  return { model, store, tree, lessons: getLessons, reflections: getReflections };
}

function track<T extends vscode.Disposable>(context: vscode.ExtensionContext, disposable: T): T {
  context.subscriptions.push(disposable);
  return disposable;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; progress writes are already issued.
}
