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

  it('loads the bundled curriculum without errors', async () => {
    const api = await activateExtension();
    const loaded = await api.model.load();
    assert.deepStrictEqual(loaded.errors.map((p) => `${p.file}:${p.line}: ${p.message}`), []);
  });
});
