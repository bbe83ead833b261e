import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Core, CourseApi } from '../../src/extension';

export const EXTENSION_ID = 'mastering-backend.mastering-backend';

/** Activates the extension and waits for its core (activation itself only registers stubs). */
export async function activateExtension(): Promise<Core> {
  const ext = vscode.extensions.getExtension<CourseApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return (await ext.activate()).ready();
}

export function packageJson(): { contributes: { commands: { command: string }[] } } {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
}

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 10000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
