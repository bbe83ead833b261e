import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { DESKTOP_ONLY_COMMANDS } from '../../src/commands/desktopOnly';
import { repoRoot } from './helpers';

interface MenuEntry {
  command: string;
  when?: string;
}

interface Manifest {
  browser?: string;
  contributes: {
    commands: { command: string }[];
    menus: Record<string, MenuEntry[]>;
    walkthroughs: { steps: { id: string; description: string; when?: string }[] }[];
  };
}

// `shellExecutionSupported` is false in the web extension host (vscode.dev, github.dev), where
// these commands only explain that they need VS Code desktop. Not `isWeb`: that is also true for
// a browser on a VS Code server, whose Node host runs the projects fine.
const SHELL = 'shellExecutionSupported';

describe('web entry: manifest', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const desktopOnly: readonly string[] = DESKTOP_ONLY_COMMANDS;
  const { menus } = pkg.contributes;

  it('declares the web bundle as its browser entry, and the .vsix ships it', () => {
    assert.strictEqual(pkg.browser, './dist/web/extension.js');
    const ignore = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/web/extension.js'), '.vscodeignore keeps dist/web/extension.js');
  });

  it('contributes every desktop-only command', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.deepStrictEqual(desktopOnly.filter((id) => !contributed.includes(id)), []);
  });

  it('hides the desktop-only commands from the palette where no shell can run, and only those', () => {
    const gated = menus.commandPalette.filter((e) => e.when?.includes(SHELL)).map((e) => e.command).sort();
    assert.deepStrictEqual(gated, [...desktopOnly].sort());
  });

  it('hides them in the course view too', () => {
    for (const menu of ['view/title', 'view/item/context']) {
      const ungated = menus[menu].filter((e) => desktopOnly.includes(e.command) && !e.when?.includes(SHELL));
      assert.deepStrictEqual(ungated, [], `${menu} shows desktop-only commands without ${SHELL}`);
    }
  });

  it('hides the walkthrough steps that link to them', () => {
    const steps = pkg.contributes.walkthroughs.flatMap((w) => w.steps);
    const ungated = steps.filter((s) => desktopOnly.some((id) => s.description.includes(`(command:${id})`)) && !s.when?.includes(SHELL)).map((s) => s.id);
    assert.deepStrictEqual(ungated, []);
  });

  it('never uses isWeb for this: the code-server tests and remote web editors run the Node host in a browser', () => {
    const all = Object.values(menus).flat().map((e) => e.when ?? '');
    assert.deepStrictEqual(all.filter((w) => /\bisWeb\b/.test(w)), []);
  });
});
