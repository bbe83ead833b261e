import * as vscode from 'vscode';
import { CommandTable } from './commands/commandTable';
import { registerCourseCommands } from './commands/courseCommands';
import { registerLearnerDataCommands } from './commands/learnerDataCommands';
import { CourseModel } from './course/courseModel';
import { configureL10n } from './l10n/configure';
import { backupProgress } from './progress/backup';
import { PROGRESS_KEY, ProgressStore } from './progress/store';
import { nextItem } from './progress/summary';
import { warmUpRenderer } from './render/lazyRenderer';
import { REVIEW_KEY, ReviewStore } from './review/reviewStore';
import { ProgressStatus } from './status/progressStatus';
import { ReviewStatus } from './status/reviewStatus';
import { CourseTreeProvider, type CourseNode } from './tree/courseTree';
import { WalkthroughContext } from './walkthrough/walkthroughContext';
import { LessonPanels } from './webview/lessonPanels';
import { ReflectionPanel } from './webview/reflectionPanel';

/**
 * The part of the running course that needs nothing but the `vscode` API: the course view,
 * lessons, quizzes, reflections, progress, spaced review, the dashboard and the learner's data.
 * Both hosts build this; the desktop core (core.ts) adds the projects on top, the web core
 * (webCore.ts) adds an explanation in their place.
 */
export interface CourseCore {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly tree: CourseTreeProvider;
  readonly commands: CommandTable;
  readonly walkthrough: WalkthroughContext;
  readonly review: ReviewStore;
  lessons(): LessonPanels;
  reflections(): ReflectionPanel;
  /** Shows the dashboard in a panel VS Code restored after a reload. */
  restoreDashboard(panel: vscode.WebviewPanel): Promise<void>;
}

/** What the activation entry has already created and hands over. */
export interface CoreHost {
  readonly context: vscode.ExtensionContext;
  readonly treeView: vscode.TreeView<CourseNode>;
}

/**
 * Builds the web-safe course once, on first use (a command, the course view, a restored panel,
 * or the status bar shortly after start-up). Wiring only; every part is its own module, and
 * none of them may import Node built-ins: the web build fails if one does.
 */
export async function startCourseCore({ context, treeView }: CoreHost): Promise<CourseCore> {
  configureL10n(); // before any module that translates through @vscode/l10n produces text
  let output: vscode.LogOutputChannel | undefined;
  const getOutput = () => (output ??= track(context, vscode.window.createOutputChannel('Backend Course', { log: true })));
  const backup = (record: unknown, why: string) => backupProgress(context.globalStorageUri, record, why);

  context.globalState.setKeysForSync([PROGRESS_KEY, REVIEW_KEY]);
  const { store, notice } = await ProgressStore.open(context.globalState, {
    backup,
    onWriteError: (e) => void vscode.window.showErrorMessage(vscode.l10n.t('Backend Course could not save your progress: {0}', (e as Error).message)),
  });
  if (notice) {
    getOutput().warn(`Progress record not used: ${notice.reason}${notice.backup ? ` (backup: ${notice.backup})` : ''}`);
    void vscode.window.showWarningMessage(
      notice.backup
        ? vscode.l10n.t('Backend Course started with fresh progress: your saved progress was not used because {0}. It was backed up to {1}.', notice.reason, notice.backup)
        : vscode.l10n.t('Backend Course started with fresh progress: your saved progress was not used because {0}.', notice.reason),
    );
  }

  const model = track(context, new CourseModel(context.extensionUri, getOutput));
  const tree = track(context, new CourseTreeProvider(model, store));
  const commands = new CommandTable();

  let lessons: LessonPanels | undefined;
  let reflections: ReflectionPanel | undefined;
  const getReflections = () => (reflections ??= track(context, new ReflectionPanel(context.extensionUri, model, store)));
  const getLessons = () =>
    (lessons ??= track(context, new LessonPanels({ extensionUri: context.extensionUri, model, store, openReflection: (id) => getReflections().show(id) })));

  context.subscriptions.push(...registerCourseCommands({ model, store, lessons: getLessons, reflections: getReflections, tree, treeView, output: getOutput, backup, commands }));
  const walkthrough = track(context, new WalkthroughContext(store));

  const opened = await ReviewStore.open(context.globalState, backup);
  const review = opened.store;
  if (opened.notice) void vscode.window.showWarningMessage(vscode.l10n.t('Backend Course: {0}', opened.notice));
  const learnerData = registerLearnerDataCommands({ context, model, store, review, commands, backup });
  context.subscriptions.push(...learnerData.disposables);
  track(context, new ReviewStatus(review));

  const status = track(context, new ProgressStatus(model, store));
  void status.update();

  // Showing the course view is the usual step before opening a lesson: get the renderer ready then.
  let warmed = false;
  const warmUp = async () => {
    if (warmed) return;
    warmed = true;
    const index = await model.require().catch(() => undefined);
    const next = index && nextItem(store.snapshot, index);
    const lesson = next?.kind === 'lesson' ? index?.lesson(next.id) : index?.lessons[0];
    const markdown = lesson && (await model.source.readText(lesson.path));
    if (lesson && markdown) await warmUpRenderer(markdown, lesson.path).catch(() => undefined);
  };
  if (treeView.visible) void warmUp();
  context.subscriptions.push(treeView.onDidChangeVisibility((e) => e.visible && void warmUp()));

  return { model, store, tree, commands, walkthrough, review, lessons: getLessons, reflections: getReflections, restoreDashboard: learnerData.restoreDashboard };
}

/** Disposed with the extension. */
export function track<T extends vscode.Disposable>(context: vscode.ExtensionContext, disposable: T): T {
  context.subscriptions.push(disposable);
  return disposable;
}
