import * as vscode from 'vscode';
import { CommandTable } from './commands/commandTable';
import { registerCourseCommands } from './commands/courseCommands';
import { CourseModel } from './course/courseModel';
import { backupProgress } from './progress/backup';
import { registerProjectCommands } from './projects/projectCommands';
import { registerStageCommands } from './projects/stageCommands';
import { PROGRESS_KEY, ProgressStore } from './progress/store';
import { nextItem } from './progress/summary';
import { warmUpRenderer } from './render/lazyRenderer';
import { ProgressStatus } from './status/progressStatus';
import { CourseTests } from './testing/courseTests';
import { registerPracticeCommands } from './testing/practiceCommands';
import { WatchMode } from './testing/watchMode';
import { WalkthroughContext } from './walkthrough/walkthroughContext';
import { registerLearnerDataCommands } from './commands/learnerDataCommands';
import { REVIEW_KEY, ReviewStore } from './review/reviewStore';
import { ReviewStatus } from './status/reviewStatus';
import { CourseTreeProvider, type CourseNode } from './tree/courseTree';
import { LessonPanels } from './webview/lessonPanels';
import { ReflectionPanel } from './webview/reflectionPanel';

/** The running course: what the activation entry forwards to, and what tests drive. */
export interface Core {
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly tree: CourseTreeProvider;
  readonly commands: CommandTable;
  readonly tests: CourseTests;
  readonly watch: WatchMode;
  readonly walkthrough: WalkthroughContext;
  readonly review: ReviewStore;
  lessons(): LessonPanels;
  reflections(): ReflectionPanel;
}

/** What the activation entry has already created and hands over. */
export interface CoreHost {
  readonly context: vscode.ExtensionContext;
  readonly treeView: vscode.TreeView<CourseNode>;
}

/**
 * Builds the course once, on first use (a command, the course view, a restored panel, or the
 * status bar shortly after start-up). Wiring only; every part is its own module.
 */
export async function startCore({ context, treeView }: CoreHost): Promise<Core> {
  let output: vscode.LogOutputChannel | undefined;
  const getOutput = () => (output ??= track(context, vscode.window.createOutputChannel('Backend Course', { log: true })));
  const backup = (record: unknown, why: string) => backupProgress(context.globalStorageUri, record, why);

  context.globalState.setKeysForSync([PROGRESS_KEY, REVIEW_KEY]);
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
  const commands = new CommandTable();

  let lessons: LessonPanels | undefined;
  let reflections: ReflectionPanel | undefined;
  const getReflections = () => (reflections ??= track(context, new ReflectionPanel(context.extensionUri, model, store)));
  const getLessons = () =>
    (lessons ??= track(context, new LessonPanels({ extensionUri: context.extensionUri, model, store, openReflection: (id) => getReflections().show(id) })));

  context.subscriptions.push(
    ...registerCourseCommands({ model, store, lessons: getLessons, reflections: getReflections, tree, treeView, output: getOutput, backup, commands }),
    ...registerProjectCommands({ context, model, store, openReflection: (id) => getReflections().show(id), commands }),
  );

  // The Testing view lists the course projects open in this window; reading their markers is
  // cheap, and their tests are only read when a project is expanded or run.
  const tests = track(context, new CourseTests(model, store));
  void tests.refresh();
  const watch = track(context, new WatchMode(tests));
  const walkthrough = track(context, new WalkthroughContext(store));
  context.subscriptions.push(...registerPracticeCommands({ model, store, tests, watch, commands }));
  context.subscriptions.push(...registerStageCommands({ model, store, commands, onFilesChanged: () => void tests.refresh() }));

  const opened = await ReviewStore.open(context.globalState, backup);
  const review = opened.store;
  if (opened.notice) void vscode.window.showWarningMessage(`Backend Course: ${opened.notice}`);
  context.subscriptions.push(...registerLearnerDataCommands({ context, model, store, review, commands, backup }));
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

  return { model, store, tree, commands, tests, watch, walkthrough, review, lessons: getLessons, reflections: getReflections };
}

function track<T extends vscode.Disposable>(context: vscode.ExtensionContext, disposable: T): T {
  context.subscriptions.push(disposable);
  return disposable;
}
