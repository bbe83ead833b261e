import type * as vscode from 'vscode';
import { activateLazily, type CourseApi } from './activation/lazyActivation';

export type { CourseApi } from './activation/lazyActivation';
export type { Core } from './core';

/**
 * Entry point of the desktop (Node) extension host. The core is a second bundle
 * (dist/core.js), required on first use so activation only evaluates this small file.
 */
export function activate(context: vscode.ExtensionContext): CourseApi {
  return activateLazily(context, async () => (require('./core') as typeof import('./core')).startCore);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; progress writes are already issued.
}
