// Measuring module run INSIDE the VS Code extension host (as `extensionTestsPath`) by
// scripts/bench/bench.mjs. bench.mjs copies it into the extension folder under development, so
// `require('vscode')` here is that extension's API. Configuration comes in the environment
// variable MB_BENCH_CONFIG (JSON); results go out as one console line `BENCH_RESULT {json}`,
// which the runner forwards from the extension host to bench.mjs.
//
// Modes:
//   activation  wait until start-up has settled, then time the first `await ext.activate()` of
//               each extension in `order` (their activation events were removed, so that call is
//               the real activation: require + activate()); then, with the course's API, time
//               the full tree walk and lesson opens.
//   tree        only the course: activation, then the tree walk (for a generated large course).
'use strict';
const fs = require('fs');
const { performance } = require('perf_hooks');
const vscode = require('vscode');

const COURSE_ID = 'mastering-backend.mastering-backend';
const HELLO_ID = 'mastering-backend-bench.hello-world';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

exports.run = async function run() {
  const cfg = JSON.parse(process.env.MB_BENCH_CONFIG || '{}');
  const result = { mode: cfg.mode, activation: {}, notes: [] };
  try {
    result.settledAfterMs = await waitForQuiet();
    const order = cfg.mode === 'activation' ? cfg.order || ['course', 'hello'] : ['course'];
    let api;
    for (const key of order) {
      const ext = vscode.extensions.getExtension(key === 'course' ? COURSE_ID : HELLO_ID);
      if (!ext) throw new Error(`extension ${key} is not loaded in this host`);
      const wasActive = ext.isActive;
      const t0 = performance.now();
      const exports = await ext.activate();
      result.activation[key] = { ms: performance.now() - t0, wasActive };
      if (wasActive) result.notes.push(`${key} was already active before the probe called activate(): its time is not an activation`);
      if (key === 'course') api = exports;
      await sleep(300); // let anything the activation scheduled (status bar update) run before the next measurement
    }
    if (!api || typeof api.ready !== 'function') throw new Error('the course extension did not return its API from activate()');
    // The core (loader, renderer, panels) is built on first use, after activation: time that separately.
    let t0 = performance.now();
    api = await api.ready();
    result.coreStartMs = performance.now() - t0;
    if (!api.tree || !api.model) throw new Error('the course core has no tree or model');

    t0 = performance.now();
    await api.model.load();
    result.firstLoadWaitMs = performance.now() - t0;
    await api.store.start(); // an unstarted course shows the welcome view: the tree would be empty
    result.stat = await measureStat(api);
    result.tree = await measureTree(api, cfg.treeReps || 5, cfg.buildReps || cfg.treeReps || 5);
    if (cfg.mode === 'activation') result.lessons = await measureLessons(api, cfg.lessonOpens || 6);
  } catch (err) {
    result.error = String((err && err.stack) || err);
  }
  console.log('BENCH_RESULT ' + JSON.stringify(result));
  // The runner may want to look at the workbench (Running Extensions) before the host goes away.
  if (cfg.holdFile) {
    const deadline = Date.now() + 120000;
    while (!fs.existsSync(cfg.holdFile) && Date.now() < deadline) await sleep(100);
  }
  if (result.error) throw new Error(result.error);
};

/** Start-up activates built-in extensions for a few seconds; wait until the set of active ones is stable. */
async function waitForQuiet() {
  const t0 = performance.now();
  let last = -1;
  let stableSince = performance.now();
  while (performance.now() - t0 < 30000) {
    const active = vscode.extensions.all.filter((e) => e.isActive).length;
    if (active !== last) {
      last = active;
      stableSince = performance.now();
    } else if (performance.now() - stableSince > 3000) break;
    await sleep(100);
  }
  return performance.now() - t0;
}

/** Every node, as VS Code asks for them: children of each expanded node, then their tree items. */
async function walk(tree) {
  let nodes = 0;
  let lessons = 0;
  const expand = async (parent) => {
    const children = await tree.getChildren(parent);
    const items = await Promise.all(children.map((c) => tree.getTreeItem(c)));
    nodes += children.length;
    for (let i = 0; i < children.length; i++) {
      if (children[i].kind === 'lesson') lessons++;
      if (items[i].collapsibleState !== vscode.TreeItemCollapsibleState.None) await expand(children[i]);
    }
  };
  await expand(undefined);
  return { nodes, lessons };
}

async function measureTree(api, reps, buildReps) {
  const loadAndBuild = [];
  const buildOnly = [];
  const loadOnly = [];
  let counts;
  for (let i = 0; i < Math.max(reps, buildReps); i++) {
    if (i >= reps) {
      const t0 = performance.now();
      counts = await walk(api.tree);
      buildOnly.push(performance.now() - t0);
      await sleep(200);
      continue;
    }
    // Load + build: read and validate the whole curriculum again, then walk every node.
    let t0 = performance.now();
    const loaded = await api.model.reload();
    const tLoaded = performance.now();
    counts = await walk(api.tree);
    loadAndBuild.push(performance.now() - t0);
    loadOnly.push(tLoaded - t0);
    if (loaded.errors.length) throw new Error(`the curriculum has ${loaded.errors.length} error(s), e.g. ${JSON.stringify(loaded.errors[0])}`);
    await sleep(200);
    // Build only: the curriculum is loaded and cached; walk every node again.
    t0 = performance.now();
    counts = await walk(api.tree);
    buildOnly.push(performance.now() - t0);
    await sleep(200);
  }
  return { ...counts, loadAndBuild, loadOnly, buildOnly };
}

/**
 * The course reads its curriculum through vscode.workspace.fs; how long one stat of a lesson file
 * takes that way, next to Node's own fs, explains the load times.
 */
async function measureStat(api) {
  const index = (await api.model.load()).index;
  const lesson = index.course.months[0].modules[0].lessons[0];
  const uri = vscode.Uri.joinPath(api.model.root, ...lesson.path.split('/'));
  const n = 50;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await vscode.workspace.fs.stat(uri);
  const workspaceFs = (performance.now() - t0) / n;
  t0 = performance.now();
  for (let i = 0; i < n; i++) await fs.promises.stat(uri.fsPath);
  const nodeFs = (performance.now() - t0) / n;
  return { scheme: uri.scheme, workspaceFsMs: workspaceFs, nodeFsMs: nodeFs };
}

/**
 * executeCommand('backendCourse.openLesson', id) → the lesson is handed to the webview: the
 * panel's HTML is set (first open) or the new content is posted to the loaded page (later opens
 * in the same panel). The command resolves after either.
 */
async function measureLessons(api, count) {
  const index = (await api.model.load()).index;
  const all = index.course.months.flatMap((m) => m.modules.flatMap((mod) => mod.lessons));
  // Far apart, so none was rendered ahead as the neighbour of one opened before.
  const picks = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[(i * 6) % all.length]);
  const samples = [];
  const open = async (lesson, kind) => {
    const t0 = performance.now();
    const panel = await vscode.commands.executeCommand('backendCourse.openLesson', lesson.id);
    const ms = performance.now() - t0;
    if (!panel || !panel.panel || panel.doc?.id !== lesson.id || panel.panel.title !== lesson.title) throw new Error(`opening ${lesson.id} did not show the lesson in the panel`);
    samples.push({ id: lesson.id, kind, ms, htmlBytes: panel.panel.webview.html.length });
    await sleep(300);
  };
  // The first open also creates the Markdown renderer (markdown-it + highlight.js); the others
  // render a lesson not seen before; the last ones open lessons already rendered (cached).
  for (const [i, lesson] of picks.entries()) await open(lesson, i === 0 ? 'first' : 'uncached');
  for (const lesson of picks.slice(0, 2)) await open(lesson, 'cached');
  return samples;
}
