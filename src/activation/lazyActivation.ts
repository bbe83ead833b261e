import * as vscode from 'vscode';
import type { Core } from '../core';
import type { CourseCore, CoreHost } from '../courseCore';
import type { CourseNode } from '../tree/courseTree';
import type { LessonPanelState, ReflectionPanelState } from '../webview/messages';
import { DASHBOARD_VIEW_TYPE, LESSON_VIEW_TYPE, REFLECTION_VIEW_TYPE } from '../webview/viewTypes';

/** What `activate` returns, for integration tests and other extensions: the desktop core, or the web one. */
export interface CourseApi<C extends CourseCore = Core> {
  /** The running course, built on first call (the same promise every time). */
  ready(): Promise<C>;
}

/** How long after activation the core is built anyway, for the status bar's progress. */
const STATUS_BAR_DELAY_MS = 1500;

/**
 * The whole activation: register what VS Code needs to see (a stub per contributed command,
 * the course view, the panel serializers) and return. This module imports nothing but the
 * `vscode` API and types, so activation costs about what an empty extension costs; the core
 * (curriculum loader, renderer, progress store, panels: most of the bundle) is loaded and built
 * on first use, in the way rust-analyzer's client starts its server lazily.
 */
export function activateLazily<C extends CourseCore>(context: vscode.ExtensionContext, loadCore: () => Promise<(host: CoreHost) => Promise<C>>): CourseApi<C> {
  let core: Promise<C> | undefined;
  const treeChanged = new vscode.EventEmitter<CourseNode | undefined>();
  const ready = (): Promise<C> =>
    (core ??= loadCore()
      .then((start) => start({ context, treeView }))
      .then((c) => {
        context.subscriptions.push(c.tree.onDidChangeTreeData((node) => treeChanged.fire(node)));
        treeChanged.fire(undefined); // the view may have been asked before the core existed
        return c;
      }));

  const treeView = vscode.window.createTreeView<CourseNode>('backendCourse.course', {
    showCollapseAll: true,
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      getChildren: async (node) => (await ready()).tree.getChildren(node),
      getTreeItem: async (node) => (await ready()).tree.getTreeItem(node),
      getParent: async (node) => (await ready()).tree.getParent(node),
    },
  });
  context.subscriptions.push(treeChanged, treeView);

  const contributed: { command: string }[] = context.extension.packageJSON?.contributes?.commands ?? [];
  for (const { command } of contributed) {
    context.subscriptions.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        let c: C;
        try {
          c = await ready();
        } catch (e) {
          // Only a damaged installation gets here (the core bundle is missing or throws on load).
          void vscode.window.showErrorMessage(vscode.l10n.t('Backend Course could not start: {0}. Reinstalling the extension should fix this.', (e as Error).message));
          return undefined;
        }
        return c.commands.run(command, args);
      }),
    );
  }

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(LESSON_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: LessonPanelState | undefined) => (await ready()).lessons().restore(panel, state),
    }),
    vscode.window.registerWebviewPanelSerializer(REFLECTION_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: ReflectionPanelState | undefined) => (await ready()).reflections().restore(panel, state),
    }),
    // The dashboard draws from progress, so it needs no saved state to come back.
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => (await ready()).restoreDashboard(panel),
    }),
  );

  const timer = setTimeout(() => void ready(), STATUS_BAR_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  return { ready };
}
