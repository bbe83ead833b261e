import type * as vscode from 'vscode';
import { activateLazily, type CourseApi } from './activation/lazyActivation';
import type { WebCore } from './webCore';

export type { WebCore } from './webCore';

/**
 * Entry point of the web extension host (package.json `browser`; vscode.dev, github.dev). A
 * web worker can load only one file, so the web core is bundled into dist/web/extension.js;
 * esbuild keeps it behind this dynamic import, so activation still evaluates only the stubs and
 * the core's modules run on first use, as on the desktop.
 */
export function activate(context: vscode.ExtensionContext): CourseApi<WebCore> {
  return activateLazily(context, async () => (await import('./webCore')).startWebCore);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; progress writes are already issued.
}
