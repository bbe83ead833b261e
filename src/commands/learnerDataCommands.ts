import * as vscode from 'vscode';
import type { CourseModel } from '../course/courseModel';
import { DashboardPanel } from '../dashboard/dashboardPanel';
import { homeFolder } from '../platform/homeFolder';
import { buildExport, mergeImport, parseImport } from '../progress/exchange';
import type { ProgressStore } from '../progress/store';
import { buildQuizCatalog, type QuizCatalog } from '../review/quizCatalog';
import { runReviewSession } from '../review/reviewSession';
import type { ReviewStore } from '../review/reviewStore';
import { buildShowcaseEntry, showcaseCandidates, showcasePrompts } from '../showcase/showcase';
import type { CommandTable } from './commandTable';

export interface LearnerDataDeps {
  readonly context: vscode.ExtensionContext;
  readonly model: CourseModel;
  readonly store: ProgressStore;
  readonly review: ReviewStore;
  readonly commands: CommandTable;
  readonly backup: (record: unknown, why: string) => Promise<string>;
}

export interface LearnerData {
  readonly disposables: vscode.Disposable[];
  /** For the panel serializer: shows the dashboard in a panel VS Code restored after a reload. */
  restoreDashboard(panel: vscode.WebviewPanel): Promise<void>;
}

/** Seeing progress and keeping it: the dashboard, spaced review, export/import, and the showcase entry. */
export function registerLearnerDataCommands(deps: LearnerDataDeps): LearnerData {
  const { model, store, review, context } = deps;
  let catalog: Promise<QuizCatalog> | undefined;
  const getCatalog = () => (catalog ??= model.require().then((index) => buildQuizCatalog(index, (p) => model.source.readText(p))));
  // Quiz id → module, for the dashboard's accuracy per module; filled from the catalog (which
  // reads every lesson) when the dashboard is opened, not when the course starts.
  let moduleOfQuiz = new Map<string, string>();
  let dashboard: DashboardPanel | undefined;
  const getDashboard = () =>
    (dashboard ??= new DashboardPanel({
      extensionUri: context.extensionUri,
      loadIndex: () => model.require(),
      progress: () => store.snapshot,
      review: () => review.summary(),
      quizModule: (id) => moduleOfQuiz.get(id),
    }));
  /** The dashboard with review cards and quiz modules up to date, ready to draw. */
  const prepareDashboard = async () => {
    await review.syncWith(store.snapshot);
    moduleOfQuiz = new Map([...(await getCatalog())].map(([id, entry]) => [id, entry.moduleId]));
    return getDashboard();
  };

  const disposables = [
    { dispose: () => dashboard?.dispose() },
    model.onDidReload(() => (catalog = undefined)),
    { dispose: store.onDidChange((p) => {
      void review.syncWith(p);
      dashboard?.refresh();
    }).dispose },
    { dispose: review.onDidChange(() => dashboard?.refresh()).dispose },
    deps.commands.add('backendCourse.openDashboard', async () => (await prepareDashboard()).show()),
    deps.commands.add('backendCourse.reviewDue', async () => {
      await review.syncWith(store.snapshot);
      return runReviewSession({
        catalog: getCatalog,
        getState: () => review.snapshot,
        saveState: (s) => review.save(s),
        now: () => new Date(),
        openLesson: (id) => vscode.commands.executeCommand('backendCourse.openLesson', id),
      });
    }),
    deps.commands.add('backendCourse.exportProgress', async (given?: vscode.Uri) => {
      await store.flush();
      const now = new Date();
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? homeFolder();
      const target = given instanceof vscode.Uri ? given : await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Course Progress'),
        saveLabel: vscode.l10n.t('Export'),
        defaultUri: base && vscode.Uri.joinPath(base, `backend-course-progress-${now.toISOString().slice(0, 10)}.json`),
        filters: { [vscode.l10n.t('Progress export')]: ['json'] },
      });
      if (!target) return undefined;
      const version = String(context.extension.packageJSON?.version ?? '0.0.0');
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(buildExport(store.snapshot, review.snapshot, now, version)));
      if (!given) void vscode.window.showInformationMessage(vscode.l10n.t('Progress, answers and review cards exported to {0}.', target.fsPath || target.toString()));
      return target;
    }),
    deps.commands.add('backendCourse.importProgress', async (given?: vscode.Uri, options: { confirm?: boolean } = {}) => {
      const source = given instanceof vscode.Uri ? given : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Import Course Progress'), openLabel: vscode.l10n.t('Import'), canSelectMany: false, filters: { [vscode.l10n.t('Progress export')]: ['json'] } }))?.[0];
      if (!source) return undefined;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
      const parsed = parseImport(text);
      if (!parsed.ok) throw new Error(vscode.l10n.t('The file was not imported: {0}. Nothing was changed.', parsed.reason));
      const merged = mergeImport({ progress: store.snapshot, review: review.snapshot }, { progress: parsed.data.progress, review: parsed.data.review });
      const s = merged.summary;
      const counts = (c: { added: number; updated: number }) => ({ added: c.added, updated: c.updated });
      const conflicts = s.conflicts.length === 1
        ? vscode.l10n.t('1 answer differs on both sides: the newer text is kept and the other is listed in the backup and the output.')
        : vscode.l10n.t('{0} answers differ on both sides: the newer text is kept and the other is listed in the backup and the output.', s.conflicts.length);
      const detail = [
        vscode.l10n.t('Lessons: {added} added, {updated} updated', counts(s.lessons)),
        vscode.l10n.t('Answers: {added} added, {updated} updated', counts(s.answers)),
        vscode.l10n.t('Quiz answers: {added} added, {updated} updated', counts(s.quizzes)),
        vscode.l10n.t('Projects: {added} added, {updated} updated', counts(s.projects)),
        vscode.l10n.t('Review cards: {added} added, {updated} updated', counts(s.cards)),
        s.conflicts.length ? conflicts : '',
      ].filter(Boolean).join('\n');
      if (options.confirm !== false) {
        const mergeButton = vscode.l10n.t('Merge');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Merge the imported progress into this machine\'s?'), { modal: true, detail: vscode.l10n.t('{0}\n\nYour current progress is backed up first.', detail) }, mergeButton);
        if (choice !== mergeButton) return undefined;
      }
      const where = await deps.backup({ progress: store.snapshot, review: review.snapshot, conflicts: s.conflicts }, 'before an import');
      await store.replace(merged.progress);
      await review.save(merged.review);
      await store.flush();
      void vscode.window.showInformationMessage(vscode.l10n.t('Imported. The previous progress is backed up at {0}.', where));
      return merged.summary;
    }),
    deps.commands.add('backendCourse.prepareShowcase', async (projectId?: string, options?: { learnerName?: string; repositoryUrl?: string; promptIds?: string[] }) => {
      const index = await model.require();
      const candidates = showcaseCandidates(index, store.snapshot);
      const id = typeof projectId === 'string' ? projectId : (await vscode.window.showQuickPick(candidates.map((p) => ({ label: p.title, description: p.language, id: p.id })), { title: vscode.l10n.t('Prepare Showcase Entry'), placeHolder: candidates.length ? vscode.l10n.t('A project whose tests pass') : vscode.l10n.t('No project passes its tests yet') }))?.id;
      if (!id) return undefined;
      let chosen = options;
      if (!chosen) {
        const prompts = showcasePrompts(index, store.snapshot, id);
        const picked = await vscode.window.showQuickPick(prompts.map((p) => ({ label: p.text, id: p.id, picked: true })), { title: vscode.l10n.t('Reflections to include'), canPickMany: true });
        if (!picked) return undefined;
        const learnerName = await vscode.window.showInputBox({ title: vscode.l10n.t('Your name or handle (optional)'), prompt: vscode.l10n.t('Shown as the author of the entry') });
        if (learnerName === undefined) return undefined;
        const repositoryUrl = await vscode.window.showInputBox({ title: vscode.l10n.t('Repository link (optional)'), prompt: vscode.l10n.t('An https:// link to your code, if it is public'), placeHolder: 'https://github.com/you/project' });
        if (repositoryUrl === undefined) return undefined;
        chosen = { learnerName: learnerName || undefined, repositoryUrl: repositoryUrl || undefined, promptIds: picked.map((p) => p.id) };
      }
      const result = buildShowcaseEntry(index, store.snapshot, id, { ...chosen, now: new Date() });
      if (!result.ok) throw new Error(result.reason);
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
      await vscode.window.showTextDocument(doc);
      for (const w of result.warnings) void vscode.window.showWarningMessage(w);
      return result;
    }),
  ];
  return { disposables, restoreDashboard: async (panel) => (await prepareDashboard()).restore(panel) };
}
