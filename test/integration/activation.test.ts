import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, packageJson } from './helpers';

describe('activation', () => {
  it('activates and returns its API', async () => {
    const api = await activateExtension();
    assert.ok(api.store && api.model && api.tree);
  });

  it('registers every contributed command', async () => {
    await activateExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = packageJson().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 10, `only ${contributed.length} commands contributed`);
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('has a handler behind every contributed command, and contributes every handler', async () => {
    const core = await activateExtension();
    const contributed = packageJson().contributes.commands.map((c) => c.command).sort();
    assert.deepStrictEqual([...core.commands.ids].sort(), contributed);
  });

  it('activates without building the core: the course is loaded on first use', async () => {
    // The activation entry is a separate, small bundle; the core bundle (loader, renderer,
    // panels) must not be part of it, or activation pays for all of it.
    const ext = vscode.extensions.getExtension('mastering-backend.mastering-backend')!;
    const entry = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'dist', 'extension.js'));
    const core = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'dist', 'core.js'));
    assert.ok(entry.byteLength < 16 * 1024, `dist/extension.js is ${entry.byteLength} bytes`);
    assert.ok(core.byteLength > 10 * entry.byteLength, 'dist/core.js should hold the bulk of the code');
  });

  it('loads the bundled curriculum without errors', async () => {
    const api = await activateExtension();
    const loaded = await api.model.load();
    assert.deepStrictEqual(loaded.errors.map((p) => `${p.file}:${p.line}: ${p.message}`), []);
  });
});
