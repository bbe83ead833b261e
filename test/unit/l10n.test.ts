import * as assert from 'assert';
import * as l10n from '@vscode/l10n';
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Stage } from '../../src/curriculum/types';
import { stageProgress } from '../../src/dashboard/charts';
import { timeSince } from '../../src/dashboard/dashboardData';
import { planSkip, StagePlanError } from '../../src/projects/stagePlan';
import { repoRoot } from './helpers';

/**
 * Localisation: every string a learner sees goes through `vscode.l10n.t` (modules that import
 * `vscode`) or `@vscode/l10n` (pure modules), and l10n/bundle.l10n.json lists them all, so a
 * translation is a new l10n/bundle.l10n.<language>.json and nothing else.
 */

type Bundle = Record<string, string | { message: string; comment: string[] }>;

const readJson = (file: string): Bundle => JSON.parse(readFileSync(file, 'utf8')) as Bundle;

describe('localisation bundle', () => {
  it('l10n/bundle.l10n.json is what `npm run l10n` exports from src/ now', function () {
    this.timeout(180_000); // the exporter parses every file with tree-sitter (WebAssembly)
    const committed = readJson(path.join(repoRoot, 'l10n', 'bundle.l10n.json'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'course-l10n-'));
    try {
      const cli = path.join(repoRoot, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
      execFileSync(process.execPath, [cli, 'export', '--outDir', out, './src'], { cwd: repoRoot, stdio: 'pipe', timeout: 170_000 });
      const exported = readJson(path.join(out, 'bundle.l10n.json'));
      const missing = Object.keys(exported).filter((k) => !(k in committed));
      const stale = Object.keys(committed).filter((k) => !(k in exported));
      assert.deepStrictEqual({ missing, stale }, { missing: [], stale: [] }, 'l10n/bundle.l10n.json is out of date: run `npm run l10n` and commit the result');
      assert.deepStrictEqual(committed, exported);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('has no translation bundle that names a string the source no longer has', () => {
    const source = readJson(path.join(repoRoot, 'l10n', 'bundle.l10n.json'));
    for (const file of readdirSync(path.join(repoRoot, 'l10n')).filter((f) => /^bundle\.l10n\.[^.]+\.json$/.test(f))) {
      const unknown = Object.keys(readJson(path.join(repoRoot, 'l10n', file))).filter((k) => !(k in source));
      assert.deepStrictEqual(unknown, [], `${file} translates strings that are not in bundle.l10n.json`);
    }
  });
});

/* ------------------------------------------------------------------ source scan */

/** Folders (and files) of src/ whose text a learner sees. Not the author tools and their curriculum checks. */
const LEARNER_FACING = (rel: string) => rel.endsWith('.ts') && !/^src\/(cli|curriculum)\//.test(rel) && rel !== 'src/projects/testWrapper.ts';

/**
 * Messages that never reach a learner in normal use, by file and the start of the literal.
 * Keep this short: a string here is one a translation cannot reach.
 */
const ALLOWED: readonly { file: string; starts: string }[] = [
  // A programming error (two modules adding one command id), found by the tests, not by learners.
  { file: 'src/commands/commandTable.ts', starts: '`command ${id} is added twice`' },
];

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly call: string;
  readonly argument: string;
}

/**
 * Calls that show their first argument to the learner (notifications, and errors thrown from
 * command handlers, which CommandTable shows) whose first argument is a bare string or template
 * literal instead of `vscode.l10n.t(…)`/`l10n.t(…)` or a value computed by one.
 */
function untranslatedCalls(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const call = /\b(vscode\.window\.show(?:Information|Warning|Error)Message|throw\s+new\s+\w*Error)\s*\(\s*/g;
  for (const m of text.matchAll(call)) {
    const start = (m.index ?? 0) + m[0].length;
    const quote = text[start];
    if (quote !== "'" && quote !== '"' && quote !== '`') continue;
    const argument = text.slice(start, start + 80).split('\n')[0];
    if (ALLOWED.some((a) => a.file === file && argument.startsWith(a.starts))) continue;
    findings.push({ file, line: text.slice(0, m.index).split('\n').length, call: m[1].replace(/\s+/g, ' '), argument });
  }
  return findings;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else out.push(full);
  }
  return out;
}

describe('learner-facing source text', () => {
  it('finds a notification or a thrown error with a bare string (the check can fail)', () => {
    const bad = [
      "void vscode.window.showInformationMessage('Done.');",
      'void vscode.window.showWarningMessage(\n  `Reset ${name}?`,\n  { modal: true });',
      'if (!x) throw new Error(`No lesson "${id}".`);',
      "throw new StagePlanError('There is no stage.');",
    ].join('\n');
    assert.deepStrictEqual(untranslatedCalls('src/example.ts', bad).map((f) => f.line), [1, 2, 5, 6]);
    const good = [
      "void vscode.window.showInformationMessage(vscode.l10n.t('Done.'));",
      "throw new StagePlanError(l10n.t('There is no stage {0}.', n));",
      'void vscode.window.showErrorMessage((e as Error).message);',
      'throw new Error(message);',
    ].join('\n');
    assert.deepStrictEqual(untranslatedCalls('src/example.ts', good), []);
  });

  it('passes every notification and thrown error through l10n', () => {
    const findings = sourceFiles(path.join(repoRoot, 'src'))
      .map((f) => path.relative(repoRoot, f).split(path.sep).join('/'))
      .filter(LEARNER_FACING)
      .flatMap((rel) => untranslatedCalls(rel, readFileSync(path.join(repoRoot, rel), 'utf8')));
    assert.deepStrictEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.call}(${f.argument}`),
      [],
      'wrap the text in vscode.l10n.t(…) (or l10n.t(…) from @vscode/l10n in a module without vscode), then run `npm run l10n`',
    );
  });

  it('keeps English out of the webview scripts: their text comes from the extension', () => {
    const pages = [
      { script: 'media/lesson.js', host: 'src/webview/lessonPanels.ts' },
      { script: 'media/reflection.js', host: 'src/webview/reflectionPanel.ts' },
      { script: 'media/dashboard.js', host: 'src/dashboard/dashboardPanel.ts' },
    ];
    for (const { script, host } of pages) {
      const js = readFileSync(path.join(repoRoot, script), 'utf8');
      // A word assigned as visible text, a tooltip or a placeholder.
      const hardCoded = [...js.matchAll(/\.(textContent|innerText|title|placeholder|ariaLabel)\s*=\s*(['"`])([^'"`]*[A-Za-z][^'"`]*)\2/g)].map((m) => m[0]);
      assert.deepStrictEqual(hardCoded, [], `${script} hard-codes text`);
      const hostSource = readFileSync(path.join(repoRoot, host), 'utf8');
      for (const key of new Set([...js.matchAll(/\bstrings\.(\w+)/g)].map((m) => m[1]))) {
        assert.match(hostSource, new RegExp(`\\b${key}: vscode\\.l10n\\.t\\(`), `${script} uses strings.${key}, which ${host} does not provide`);
      }
    }
  });
});

/* ------------------------------------------------------------------ pure modules */

describe('pure modules translate through @vscode/l10n', () => {
  const stages: Stage[] = [1, 2, 3].map((n) => ({ id: `s${n}`, title: `Stage ${n}`, summary: '', hints: [], files: [`src/s${n}.rs`] }));

  afterEach(() => l10n.config({ contents: {} })); // back to the English source strings for every other test

  it('uses the configured bundle, with the placeholders filled in, and English without one', () => {
    const english = stageProgress(2, 5, 'Chat', { id: 'l10n-test' });
    assert.match(english, /<desc id="l10n-test-desc">2 of 5 stages passed<\/desc>/);
    assert.strictEqual(timeSince(new Date(2026, 0, 1), new Date(2026, 0, 2)), 'yesterday');

    l10n.config({
      contents: {
        '{0} of {1} stages passed': '[{1} ŝţåĝéš, {0} þåššéð]',
        '{0}: stage progress': '[{0}: ƥŕôĝŕéšš]',
        yesterday: '[ýéšţéŕðåý]',
        'Stage 1 is where every project starts: there is nothing before it to skip.': '[Šţåĝé 1]',
      },
    });
    const translated = stageProgress(2, 5, 'Chat', { id: 'l10n-test' });
    assert.match(translated, /<title id="l10n-test-title">\[Chat: ƥŕôĝŕéšš\]<\/title>/);
    assert.match(translated, /<desc id="l10n-test-desc">\[5 ŝţåĝéš, 2 þåššéð\]<\/desc>/);
    assert.strictEqual(timeSince(new Date(2026, 0, 1), new Date(2026, 0, 2)), '[ýéšţéŕðåý]');
    assert.throws(() => planSkip(stages, 1), (e: unknown) => e instanceof StagePlanError && e.message === '[Šţåĝé 1]');
    // A string the bundle does not have stays English.
    assert.strictEqual(timeSince(new Date(2026, 0, 1), new Date(2026, 0, 1)), 'today');
  });
});

describe('package.json strings (package.nls.json)', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

  /** Every value of the fields VS Code shows to people, with where it is. */
  function shownFields(): { at: string; value: unknown }[] {
    const out: { at: string; value: unknown }[] = [];
    const c = manifest.contributes;
    out.push({ at: 'displayName', value: manifest.displayName }, { at: 'description', value: manifest.description });
    out.push({ at: 'capabilities.untrustedWorkspaces.description', value: manifest.capabilities.untrustedWorkspaces.description });
    for (const v of c.viewsContainers.activitybar) out.push({ at: `viewsContainers ${v.id}`, value: v.title });
    for (const group of Object.values(c.views) as { id: string; name: string; contextualTitle?: string }[][]) {
      for (const v of group) out.push({ at: `view ${v.id}`, value: v.name }, ...(v.contextualTitle ? [{ at: `view ${v.id} contextualTitle`, value: v.contextualTitle }] : []));
    }
    for (const w of c.viewsWelcome) out.push({ at: `viewsWelcome ${w.view}`, value: w.contents });
    for (const cmd of c.commands) out.push({ at: `command ${cmd.command}`, value: cmd.title }, { at: `command ${cmd.command} category`, value: cmd.category });
    out.push({ at: 'configuration.title', value: c.configuration.title });
    for (const [name, prop] of Object.entries(c.configuration.properties) as [string, Record<string, unknown>][]) {
      for (const f of ['description', 'markdownDescription']) if (prop[f] !== undefined) out.push({ at: `${name} ${f}`, value: prop[f] });
      for (const f of ['enumDescriptions', 'markdownEnumDescriptions']) for (const d of (prop[f] as string[] | undefined) ?? []) out.push({ at: `${name} ${f}`, value: d });
    }
    for (const w of c.walkthroughs) {
      out.push({ at: `walkthrough ${w.id}`, value: w.title }, { at: `walkthrough ${w.id} description`, value: w.description });
      for (const s of w.steps) out.push({ at: `step ${s.id}`, value: s.title }, { at: `step ${s.id} description`, value: s.description });
    }
    return out;
  }

  it('names every shown string by a %key% that package.nls.json defines', () => {
    const fields = shownFields();
    assert.ok(fields.length > 80, `found ${fields.length} shown fields`);
    const bare = fields.filter((f) => typeof f.value !== 'string' || !/^%[^%]+%$/.test(f.value));
    assert.deepStrictEqual(bare.map((f) => f.at), [], 'fields written in package.json instead of package.nls.json');
    const missing = fields.filter((f) => !(String(f.value).slice(1, -1) in nls));
    assert.deepStrictEqual(missing.map((f) => `${f.at}: ${f.value}`), []);
  });

  it('has no key in package.nls.json that package.json does not use', () => {
    const used = new Set([...JSON.stringify(manifest).matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]));
    assert.deepStrictEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
    for (const file of readdirSync(repoRoot).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f))) {
      const translated = JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, string>;
      assert.deepStrictEqual(Object.keys(translated).filter((k) => !(k in nls)), [], `${file} translates keys that no longer exist`);
    }
  });
});
