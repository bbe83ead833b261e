#!/usr/bin/env node
// End-to-end checks of the PACKAGED extension in a real VS Code (code-server 4.100.3 = VS Code
// 1.100.3) driven through its web UI by Debian's Chromium (playwright-core). Nothing here calls
// the extension's API: every step is what a learner does with mouse and keyboard.
//
//   npm run package && node test/e2e/e2e.mjs [--vsix mastering-backend.vsix] [--out test-output/screenshots] [--verbose]
//
// Fresh server profile (temp user-data and extensions dirs) and fresh browser profile each run,
// so the course has not been started. Screenshots (1280×800) go to test-output/screenshots/:
// tree.png, lesson-light.png, lesson-dark.png, reflection.png, dashboard.png, and failure.png when a step fails.
// Exit status: 0 all steps passed, 1 a step failed, 2 usage error (e.g. no .vsix).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, launchBrowser, startServer, workbenchUrl } from '../../scripts/vscode-host/host.mjs';

const WAIT = 30_000; // per wait; the machines this runs on are small and busy
const STARTUP_WAIT = 90_000; // the workbench's first load, and again after a reload
const OVERALL = 6 * 60_000; // the whole run, as a last resort against a hang
const LIGHT_THEME = 'Default Light Modern';
const DARK_THEME = 'Default Dark Modern';
const ANSWER = 'E2E answer: the pool size came from a guess; I would measure run-queue length and context switches first.';

const { values: args } = parseArgs({
  options: {
    vsix: { type: 'string', default: path.join(REPO_ROOT, 'mastering-backend.vsix') },
    out: { type: 'string', default: path.join(REPO_ROOT, 'test-output', 'screenshots') },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: node test/e2e/e2e.mjs [--vsix <file.vsix>] [--out <screenshot dir>] [--verbose]');
  process.exit(0);
}
const vsix = path.resolve(args.vsix);
if (!fs.existsSync(vsix)) {
  console.error(`[e2e] no .vsix at ${vsix}: run \`npm run package\` first (or pass --vsix <file>)`);
  process.exit(2);
}
const outDir = path.resolve(args.out);
fs.mkdirSync(outDir, { recursive: true });
for (const f of ['tree.png', 'lesson-light.png', 'lesson-dark.png', 'reflection.png', 'failure.png']) fs.rmSync(path.join(outDir, f), { force: true });

// ---------------------------------------------------------------------------------------------
// Output and small helpers

const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const log = (msg) => console.log(`[e2e] ${clock()}  ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class StepError extends Error {}
const fail = (msg) => { throw new StepError(msg); };

const steps = [];
const failures = [];
let stepNo = 0;
let currentStep = '(setup)';
const TOTAL_STEPS = 14;
/**
 * Runs one step and prints it with its time. A failing step ends the run, unless it is `soft`:
 * a wrong value on a screen that is otherwise usable (the next steps can still run). Either way
 * the run exits 1, and failure.png shows the screen of the first failure.
 */
async function step(name, fn, { soft = false } = {}) {
  currentStep = name;
  stepNo++;
  const t = Date.now();
  log(`▶ ${stepNo}/${TOTAL_STEPS} ${name}`);
  try {
    const detail = await fn();
    const ms = Date.now() - t;
    steps.push({ name, ms, ok: true });
    log(`✓ ${stepNo}/${TOTAL_STEPS} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    if (!soft || !(err instanceof StepError)) throw err;
    steps.push({ name, ms: Date.now() - t, ok: false });
    failures.push({ step: `${stepNo}/${TOTAL_STEPS} ${name}`, message: err.message });
    log(`✗ ${stepNo}/${TOTAL_STEPS} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s): ${err.message}`);
    await failureShot();
  }
}

let failureShotTaken = false;
async function failureShot({ overwrite = false } = {}) {
  if ((failureShotTaken && !overwrite) || !page) return;
  failureShotTaken = true;
  const shot = path.join(outDir, 'failure.png');
  await page.screenshot({ path: shot, timeout: 10_000 }).then(() => log(`failure screenshot: ${path.relative(process.cwd(), shot)}`), () => {});
}

/** Polls `check` until it returns something truthy; fails with `what` after `ms`. */
async function until(what, check, ms = WAIT, every = 100) {
  const deadline = Date.now() + ms;
  let lastError;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) fail(`timed out after ${ms / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message.split('\n')[0]})` : ''}`);
    await sleep(every);
  }
}

/**
 * Webviews are nested iframes (workbench → webview host `index.html` → content frame). Finds the
 * content frame for which `probe` (run inside each frame) returns something truthy, and returns
 * `{ frame, value }`. Frames are replaced whenever the extension sets new HTML, so callers look
 * the frame up again after every change instead of keeping it.
 */
async function webviewFrame(page, what, probe, arg, ms = WAIT) {
  return until(`a webview showing ${what}`, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const value = await frame.evaluate(probe, arg).catch(() => undefined);
      if (value) return { frame, value };
    }
    return undefined;
  }, ms);
}

/** What a lesson content frame shows, or undefined if the frame is not a lesson. */
function lessonProbe(expectedTitle) {
  const body = document.querySelector('.markdown-body');
  if (!body) return undefined;
  const title = document.querySelector('.lesson-header h1')?.textContent?.trim();
  if (expectedTitle && title !== expectedTitle) return undefined;
  return {
    title,
    headings: [...body.querySelectorAll('h2')].map((h) => h.textContent.trim()),
    hljs: body.querySelectorAll('[class^="hljs-"], [class*=" hljs-"]').length,
    quizzes: body.querySelectorAll('.quiz').length,
    theme: document.body.className,
  };
}

function reflectionProbe(expected) {
  const area = document.querySelector('.prompts textarea');
  if (!area) return undefined;
  const title = document.querySelector('.lesson-header h1')?.textContent?.trim();
  if (expected?.title && title !== expected.title) return undefined;
  if (expected?.value !== undefined && area.value !== expected.value) return undefined;
  return { title, prompts: document.querySelectorAll('.prompts textarea').length, value: area.value, status: document.querySelector('.prompt-status')?.textContent };
}

const cssString = (s) => JSON.stringify(s); // a valid CSS string literal for attribute selectors

/** The active editor tab's label (webview panel title), or undefined. */
async function activeTabTitle(page) {
  return page.evaluate(() => {
    const tab = document.querySelector('.editor-group-container.active .tab.active') ?? document.querySelector('.tab.active');
    return tab?.querySelector('.label-name')?.textContent?.trim() ?? tab?.getAttribute('aria-label') ?? undefined;
  });
}

async function waitForActiveTab(page, title) {
  await until(`the active editor tab to be "${title}"`, async () => (await activeTabTitle(page)) === title);
}

/** A row of the course tree whose aria-label starts with `label`. */
function treeRow(page, label) {
  return page.locator(`#workbench\\.view\\.extension\\.backendCourse .monaco-list-row[aria-label^=${cssString(label)}]`).first();
}

async function expandRow(page, label) {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: WAIT });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await until(`tree row "${label}" to expand`, async () => (await row.getAttribute('aria-expanded')) === 'true');
  return row;
}

/** Opens the command palette, runs `command`, leaving any quick pick it shows open. */
async function runFromPalette(page, command) {
  const widget = page.locator('.quick-input-widget');
  // The palette needs focus in the workbench, not inside a webview iframe.
  await page.locator('.part.statusbar').click({ position: { x: 700, y: 10 } }).catch(() => {});
  await page.keyboard.press('F1');
  if (!(await widget.isVisible().catch(() => false))) {
    await widget.waitFor({ state: 'visible', timeout: 5_000 }).catch(async () => {
      await page.keyboard.press('Control+Shift+P');
      await widget.waitFor({ state: 'visible', timeout: WAIT });
    });
  }
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${command}`);
  await pickFocused(page, command, (label) => label.startsWith(command));
}

/**
 * Waits for a quick pick row whose aria-label satisfies `matches`, moves the focus onto it with
 * the arrow keys (it need not be the first: "Preferences: Browse Color Themes in Marketplace"
 * ranks above "Preferences: Color Theme"), and presses Enter.
 */
async function pickFocused(page, what, matches) {
  const rowLabels = () => page.evaluate(() => {
    const rows = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
    return { labels: rows.map((r) => r.getAttribute('aria-label') ?? ''), focused: rows.find((r) => r.classList.contains('focused'))?.getAttribute('aria-label') ?? null };
  });
  await until(`"${what}" in the quick pick`, async () => (await rowLabels()).labels.some(matches));
  const label = await until(`"${what}" to be the focused quick pick item`, async () => {
    const { labels, focused } = await rowLabels();
    if (focused !== null && matches(focused)) return focused;
    const want = labels.findIndex(matches);
    const at = labels.indexOf(focused ?? '');
    if (want >= 0) await page.keyboard.press(at > want ? 'ArrowUp' : 'ArrowDown');
    return undefined;
  }, WAIT, 150);
  await page.keyboard.press('Enter');
  return label;
}

/** Waits for the quick pick to show `title` as its title or as its input's placeholder. */
async function waitForQuickPickTitle(page, title) {
  await until(`a quick pick titled "${title}"`, async () =>
    page.evaluate((t) => {
      const w = document.querySelector('.quick-input-widget');
      if (!w || w.style.display === 'none') return false;
      const shown = `${w.querySelector('.quick-input-title')?.textContent ?? ''} ${w.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? ''}`;
      return shown.includes(t);
    }, title),
  );
}

/** Scrolls a lesson so that its first code block is in view: the screenshots then show prose and highlighting. */
async function scrollToCode(frame) {
  // Diagrams above the code change the layout when they load: wait for the images first (5 s at most).
  await frame.evaluate(() => Promise.race([
    Promise.all([...document.images].map((img) => (img.complete ? 0 : new Promise((r) => img.addEventListener('load', r) || img.addEventListener('error', r))))),
    new Promise((r) => setTimeout(r, 5000)),
  ]));
  await frame.evaluate(() => document.querySelector('.markdown-body pre')?.scrollIntoView({ block: 'center' }));
  await sleep(300); // one paint
}

async function screenshot(page, name) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file });
  return path.relative(REPO_ROOT, file);
}

// ---------------------------------------------------------------------------------------------
// The run

/** Titles the checks expect, read from the curriculum inside the installed .vsix. */
function readCourse(extensionsDir) {
  const dir = fs.readdirSync(extensionsDir).find((d) => d.startsWith('mastering-backend.mastering-backend-'));
  if (!dir) fail(`the .vsix was not installed: no mastering-backend.mastering-backend-* in ${extensionsDir}`);
  const root = path.join(extensionsDir, dir, 'curriculum');
  const read = (p) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
  const course = read('course.json');
  const months = course.months.map((m) => ({ ...m, modules: m.modules.map((id) => read(`modules/${id}/module.json`)) }));
  const month = months[0];
  const mod = month.modules[0];
  const all = months.flatMap((m) => m.modules.flatMap((x) => x.lessons));
  if (mod.lessons.length < 2) fail(`the first module (${mod.id}) needs at least 2 lessons for these checks`);
  const paletteLesson = mod.lessons[2] ?? all.find((l) => l.id !== mod.lessons[0].id && l.id !== mod.lessons[1].id);
  return {
    version: dir.slice('mastering-backend.mastering-backend-'.length),
    monthLabel: `Month ${month.number}: ${month.title}`,
    moduleLabel: `${mod.number} ${mod.title}`,
    reflectionTitle: `Reflect: ${mod.number} ${mod.title}`,
    firstLesson: all[0].title,
    treeLesson: mod.lessons[1].title,
    paletteLesson: paletteLesson.title,
    moduleLessons: mod.lessons.map((l) => l.title),
  };
}

let server;
let browser;
let page;
let exitCode = 1;
const abort = (why) => {
  console.error(`[e2e] ${why}: stopping`);
  Promise.resolve(browser?.close()).catch(() => {}).finally(() => Promise.resolve(server?.stop()).catch(() => {}).finally(() => process.exit(130)));
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => abort(sig));

const watchdog = setTimeout(() => {
  console.error(`[e2e] FAIL: the run did not finish within ${OVERALL / 60000} min (step: ${currentStep})`);
  const shot = page ? page.screenshot({ path: path.join(outDir, 'failure.png'), timeout: 10_000 }).catch(() => {}) : Promise.resolve();
  shot.finally(() => Promise.resolve(browser?.close()).catch(() => {}).finally(() => Promise.resolve(server?.stop()).catch(() => {}).finally(() => process.exit(1))));
}, OVERALL);

try {
  log(`packaged extension: ${path.relative(process.cwd(), vsix) || vsix}`);
  server = await startServer({ installVsix: vsix, verbose: args.verbose, log: (s) => log(s.replace(/^\[vscode-host\] /, '')) });
  const course = readCourse(path.join(server.tempDir, 'extensions'));
  log(`code-server on ${server.baseUrl} (temp profile ${server.tempDir}); installed mastering-backend ${course.version}`);

  // The colour theme is a user setting; code-server keeps user settings on the server side.
  const settingsFile = path.join(server.tempDir, 'user-data', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  // No "your application on port N is available" toasts over the screenshots: code-server would
  // otherwise announce any unrelated server that happens to listen on this machine.
  fs.writeFileSync(settingsFile, JSON.stringify({ 'workbench.colorTheme': LIGHT_THEME, 'remote.autoForwardPorts': false }, null, 2));

  browser = await launchBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (args.verbose) page.on('console', (m) => console.error(`[workbench ${m.type()}] ${m.text()}`));
  const url = workbenchUrl(server, {}); // empty window, no extension under development: only the installed .vsix
  await page.goto(url, { waitUntil: 'commit' });

  await step('workbench loads in the light theme', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_WAIT });
    await until('the light theme on the workbench', () => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs')), STARTUP_WAIT);
    return `VS Code web workbench at ${url}`;
  });

  await step('open the course view from the activity bar; the welcome view offers "Start the Course"', async () => {
    const icon = page.locator('.part.activitybar a.action-label[aria-label="Backend Course"]');
    await icon.waitFor({ state: 'visible', timeout: STARTUP_WAIT });
    const item = page.locator('.part.activitybar li.action-item:has(> a.action-label[aria-label="Backend Course"])');
    // Clicking the icon of the view that is already open would close the side bar.
    if ((await item.getAttribute('aria-selected')) !== 'true') await icon.click();
    await page.locator('#workbench\\.view\\.extension\\.backendCourse').waitFor({ state: 'visible', timeout: WAIT });
    await page.locator('#workbench\\.view\\.extension\\.backendCourse .welcome-view-content').getByRole('button', { name: 'Start the Course' }).waitFor({ state: 'visible', timeout: WAIT });
    const title = await page.locator('.part.sidebar .composite.title h2').first().textContent();
    return `side bar "${title}", welcome view with the Start button`;
  });

  await step('click "Start the Course": the first lesson opens and the tree shows the months', async () => {
    await page.locator('#workbench\\.view\\.extension\\.backendCourse .welcome-view-content').getByRole('button', { name: 'Start the Course' }).click();
    await waitForActiveTab(page, course.firstLesson);
    const { value } = await webviewFrame(page, `the lesson "${course.firstLesson}"`, lessonProbe, course.firstLesson);
    await treeRow(page, course.monthLabel).waitFor({ state: 'visible', timeout: WAIT });
    return `tab "${course.firstLesson}", webview h1 "${value.title}", tree row "${course.monthLabel}"`;
  });

  await step(`expand "${course.monthLabel}" and "${course.moduleLabel}" in the tree`, async () => {
    await expandRow(page, course.monthLabel);
    await expandRow(page, course.moduleLabel);
    for (const title of course.moduleLessons) await treeRow(page, title).waitFor({ state: 'visible', timeout: WAIT });
    await treeRow(page, 'Reflection prompts of module').waitFor({ state: 'visible', timeout: WAIT }); // the module's reflection prompts row
    const rows = await page.$$eval('#workbench\\.view\\.extension\\.backendCourse .monaco-list-row', (els) => els.map((e) => e.getAttribute('aria-label')));
    const shot = await screenshot(page, 'tree.png');
    return `${rows.length} rows visible, ${course.moduleLessons.length} lessons under ${course.moduleLabel.split(' ')[0]}; ${shot}`;
  });

  await step(`open "${course.treeLesson}" from the tree and read it in the webview`, async () => {
    await treeRow(page, course.treeLesson).click();
    await waitForActiveTab(page, course.treeLesson);
    const { value } = await webviewFrame(page, `the lesson "${course.treeLesson}"`, lessonProbe, course.treeLesson);
    if (!value.headings.includes('Why this matters')) fail(`the lesson has no "Why this matters" heading; h2s: ${JSON.stringify(value.headings)}`);
    if (value.hljs === 0) fail('the lesson has no highlighted code (.hljs-* spans)');
    if (value.quizzes === 0) fail('the lesson has no quiz');
    if (!/\bvscode-light\b/.test(value.theme)) fail(`the webview body is not themed light: class="${value.theme}"`);
    return `h2 "Why this matters", ${value.hljs} highlighted code spans, ${value.quizzes} quizzes`;
  });

  await step('answer the first quiz by clicking a choice; its explanation appears', async () => {
    const { frame } = await webviewFrame(page, `the lesson "${course.treeLesson}"`, lessonProbe, course.treeLesson);
    const quiz = frame.locator('.quiz').first();
    const answer = await quiz.getAttribute('data-answer');
    await quiz.locator(`.quiz-choice-button[data-choice="${answer}"]`).click();
    const explanation = quiz.locator('.quiz-choice.is-chosen .quiz-explanation');
    await explanation.waitFor({ state: 'visible', timeout: WAIT });
    const feedback = (await quiz.locator('.quiz-feedback').evaluate((e) => e.firstChild?.textContent ?? '')).trim();
    if (!feedback.startsWith('Correct.')) fail(`expected "Correct." feedback after the right choice, got "${feedback}"`);
    const text = (await explanation.textContent()).trim();
    return `feedback "${feedback}", explanation "${text.slice(0, 60)}…"`;
  }, { soft: true });

  await step('open the module\'s "Reflection prompts" and type an answer', async () => {
    await treeRow(page, 'Reflection prompts of module').click();
    await waitForActiveTab(page, course.reflectionTitle);
    const { frame, value } = await webviewFrame(page, `the reflection prompts "${course.reflectionTitle}"`, reflectionProbe, { title: course.reflectionTitle });
    const area = frame.locator('.prompts textarea').first();
    await area.click();
    await area.pressSequentially(ANSWER, { delay: 5 });
    const status = frame.locator('.prompt-status').first();
    await until('the first prompt to say "Saved"', async () => (await status.textContent()) === 'Saved');
    await sleep(1500); // let the extension write it through globalState into the browser's storage
    return `${value.prompts} prompts; typed ${ANSWER.length} characters, status "Saved"`;
  });

  await step('reload the window: the reflection answer is still there', async () => {
    await page.reload({ waitUntil: 'commit' });
    await page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_WAIT });
    // The panel was the active editor, so VS Code restores it through the extension's serializer.
    let restored = 'restored with the window';
    let found = await webviewFrame(page, 'the restored reflection prompts', reflectionProbe, { title: course.reflectionTitle }, STARTUP_WAIT / 2).catch(() => undefined);
    if (!found) {
      restored = 'not restored: reopened from the tree';
      await expandRow(page, course.monthLabel);
      await expandRow(page, course.moduleLabel);
      await treeRow(page, 'Reflection prompts of module').click();
      found = await webviewFrame(page, 'the reflection prompts', reflectionProbe, { title: course.reflectionTitle });
    }
    await waitForActiveTab(page, course.reflectionTitle);
    // Give a late restore a moment to settle, then read the textarea as the learner sees it.
    const value = await until('the textarea to hold the typed answer', async () => {
      const r = await webviewFrame(page, 'the reflection prompts', reflectionProbe, { title: course.reflectionTitle });
      return r.value.value === ANSWER ? r.value : undefined;
    }, 5_000).catch(async () => (await webviewFrame(page, 'the reflection prompts', reflectionProbe, { title: course.reflectionTitle })).value);
    const shot = await screenshot(page, 'reflection.png');
    if (value.value !== ANSWER) {
      const prefix = value.value === '' ? ' (the whole answer was lost)'
        : ANSWER.startsWith(value.value) ? ` (only the first ${value.value.length} of ${ANSWER.length} characters: the end of the answer was lost)` : '';
      fail(`after the reload (panel ${restored}) the first textarea holds ${JSON.stringify(value.value)}${prefix}; expected ${JSON.stringify(ANSWER)}; see ${shot}`);
    }
    return `panel ${restored}; textarea holds the whole answer (status "${value.status}"); ${shot}`;
  }, { soft: true });

  await step(`run "Backend Course: Open Lesson…" from the palette and pick "${course.paletteLesson}"`, async () => {
    await runFromPalette(page, 'Backend Course: Open Lesson');
    await waitForQuickPickTitle(page, 'Open Lesson');
    await page.keyboard.type(course.paletteLesson);
    await pickFocused(page, course.paletteLesson, (label) => label.includes(course.paletteLesson));
    await waitForActiveTab(page, course.paletteLesson);
    const { frame, value } = await webviewFrame(page, `the lesson "${course.paletteLesson}"`, lessonProbe, course.paletteLesson);
    await scrollToCode(frame);
    const shot = await screenshot(page, 'lesson-light.png');
    return `tab title now "${course.paletteLesson}", webview h1 "${value.title}"; ${shot}`;
  });

  await step(`switch to "${DARK_THEME}" with "Preferences: Color Theme"`, async () => {
    await runFromPalette(page, 'Preferences: Color Theme');
    await waitForQuickPickTitle(page, 'Select Color Theme');
    const label = DARK_THEME.replace(/^Default /, ''); // the picker shows "Dark Modern" for "Default Dark Modern"
    await page.keyboard.type(label);
    await pickFocused(page, label, (l) => l === label || l.startsWith(`${label},`) || l.startsWith(`${label} `));
    await until('the dark theme on the workbench', () => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark')));
    const { frame, value } = await until('the lesson webview to switch to the dark theme', async () => {
      const r = await webviewFrame(page, `the lesson "${course.paletteLesson}"`, lessonProbe, course.paletteLesson);
      return /\bvscode-dark\b/.test(r.value.theme) ? r : undefined;
    });
    await scrollToCode(frame);
    const shot = await screenshot(page, 'lesson-dark.png');
    return `workbench "vs-dark", webview body "${value.theme}"; ${shot}`;
  });

  await step('the colour theme reached the user settings', async () => {
    const text = await until('settings.json to name the dark theme', () => {
      const t = fs.readFileSync(settingsFile, 'utf8');
      return t.includes(DARK_THEME) ? t : undefined;
    });
    return `settings.json: ${text.replace(/\s+/g, ' ').trim()}`;
  }, { soft: true });

  await step(`click "Mark complete" at the end of "${course.paletteLesson}"`, async () => {
    const { frame } = await webviewFrame(page, `the lesson "${course.paletteLesson}"`, lessonProbe, course.paletteLesson);
    const button = frame.locator('[data-action="toggle-complete"]').first();
    await button.click();
    await until('the button to show the lesson as completed', async () => (await button.getAttribute('aria-pressed')) === 'true');
    // The status bar's course progress item ("0/53" before) counts it.
    const counted = await until('the status bar to count the lesson', () => page.evaluate(() => document.querySelector('.part.statusbar')?.textContent?.match(/(?:^|\D)(1\/\d+)/)?.[1]));
    return `"${(await button.textContent()).trim()}"; status bar ${counted}`;
  });

  await step('run "Backend Course: Open Dashboard": completion bars, activity calendar and quiz accuracy as SVG', async () => {
    await runFromPalette(page, 'Backend Course: Open Dashboard');
    await waitForActiveTab(page, 'Course Dashboard');
    const { value } = await webviewFrame(page, 'the dashboard', () => {
      const main = document.querySelector('main.dashboard');
      if (!main) return undefined;
      const charts = [...main.querySelectorAll('svg[role="img"]')];
      return {
        charts: charts.length,
        titled: charts.filter((svg) => svg.querySelector('title')?.textContent?.trim()).length,
        overall: document.querySelector('.overall-percent')?.textContent?.trim(),
        sections: [...main.querySelectorAll('h2')].map((h) => h.textContent.trim()),
        rawDate: document.body.innerText.match(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/)?.[0],
      };
    });
    if (value.charts < 3 || value.titled !== value.charts) fail(`expected at least 3 SVG charts, each with a <title>; found ${value.charts} (${value.titled} titled)`);
    if (value.rawDate) fail(`the dashboard shows a machine date (${value.rawDate}) where a learner should read a day`);
    if (value.overall === '0%') fail('the dashboard shows 0% although a lesson was just marked complete');
    await sleep(300); // one paint
    const shot = await screenshot(page, 'dashboard.png');
    // The charts further down: the activity calendar and the quiz accuracy.
    const { frame } = await webviewFrame(page, 'the dashboard', () => !!document.querySelector('main.dashboard'));
    await frame.evaluate(() => document.getElementById('activity-heading')?.scrollIntoView({ block: 'start' }));
    await sleep(300);
    const below = await screenshot(page, 'dashboard-activity.png');
    return `${value.charts} charts; ${value.overall} complete; sections ${value.sections.join(', ')}; ${shot}, ${below}`;
  });

  await step('"Developer: Reload Window": the dashboard comes back with it, drawn afresh', async () => {
    // Reloading through VS Code's lifecycle saves which editors are open before the page goes.
    await runFromPalette(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: STARTUP_WAIT }).catch(() => {});
    await page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_WAIT });
    // The dashboard was the active editor, so VS Code restores it through the extension's serializer.
    const { value } = await webviewFrame(page, 'the restored dashboard', () => {
      const main = document.querySelector('main.dashboard');
      return main ? { charts: main.querySelectorAll('svg[role="img"]').length, overall: document.querySelector('.overall-percent')?.textContent?.trim() } : undefined;
    }, undefined, STARTUP_WAIT / 2);
    await waitForActiveTab(page, 'Course Dashboard');
    if (value.charts < 3) fail(`the restored dashboard has ${value.charts} charts`);
    return `restored with ${value.charts} charts, ${value.overall} complete`;
  });

  if (pageErrors.length) log(`note: ${pageErrors.length} uncaught error(s) in the workbench page: ${pageErrors.slice(0, 3).join(' | ')}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    for (const f of failures) console.error(`[e2e] FAIL in step ${f.step}: ${f.message}`);
    console.error(`[e2e] FAIL: ${failures.length} of ${steps.length} steps failed (${secs} s); screenshots in ${path.relative(process.cwd(), outDir) || outDir}`);
    exitCode = 1;
  } else {
    log(`PASS: ${steps.length} steps in ${secs} s; screenshots in ${path.relative(process.cwd(), outDir) || outDir}`);
    exitCode = 0;
  }
} catch (err) {
  const msg = err instanceof StepError ? err.message : (err.stack || err.message);
  console.error(`[e2e] FAIL in step ${stepNo}/${TOTAL_STEPS} "${currentStep}": ${msg}`);
  for (const f of failures) console.error(`[e2e] (earlier) FAIL in step ${f.step}: ${f.message}`);
  await failureShot({ overwrite: true });
  if (server) console.error(`[e2e] server log (tail):\n${tailFile(server.logFile, 15)}`);
  exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  log(`host stopped; exit ${exitCode}`);
}
process.exit(exitCode);

function tailFile(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}
