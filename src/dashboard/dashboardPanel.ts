import * as vscode from 'vscode';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Progress, ProjectState } from '../progress/schema';
import { describeDay } from '../review/dueDay';
import { escapeHtml, makeNonce, page } from '../webview/html';
import { DASHBOARD_VIEW_TYPE } from '../webview/viewTypes';
import { activityCalendar, activityCalendarTable, barChart, barChartTable, percent, stageProgress, type BarRow } from './charts';
import { buildDashboardData, timeSince, type DashboardData, type ReviewSummary } from './dashboardData';


/** The buttons of the page (media/dashboard.js) and the command each one runs. */
export const DASHBOARD_COMMANDS = {
  continue: 'backendCourse.continue',
  reviewDue: 'backendCourse.reviewDue',
  exportProgress: 'backendCourse.exportProgress',
} as const;

export type DashboardAction = keyof typeof DASHBOARD_COMMANDS;

/** The only message the dashboard page posts. */
export interface DashboardMessage {
  readonly type: 'command';
  readonly command: DashboardAction;
}

export function isDashboardMessage(m: unknown): m is DashboardMessage {
  if (typeof m !== 'object' || m === null) return false;
  const { type, command } = m as { type?: unknown; command?: unknown };
  return type === 'command' && typeof command === 'string' && Object.prototype.hasOwnProperty.call(DASHBOARD_COMMANDS, command);
}

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly loadIndex: () => Promise<CourseIndex>;
  readonly progress: () => Readonly<Progress>;
  readonly review: () => ReviewSummary | undefined;
  readonly quizModule?: (quizId: string) => string | undefined;
  readonly now?: () => Date;
}

/**
 * The course dashboard: one panel, revealed when it is already open. It shows a snapshot; the
 * owner calls `refresh()` when progress changes, and the panel refreshes itself when it becomes
 * visible again (so "time since" phrases are not stale after a day in the background).
 */
export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelListeners: vscode.Disposable[] = [];
  /** Renders can overlap (loadIndex is async); only the latest may write the page. */
  private generation = 0;

  constructor(private readonly deps: DashboardDeps) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  async show(): Promise<vscode.WebviewPanel> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      this.adopt(vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, vscode.l10n.t('Course Dashboard'), vscode.ViewColumn.Active, this.webviewOptions()));
    }
    const panel = this.panel!;
    await this.render();
    return panel;
  }

  /** For a webview panel serializer: takes over a panel VS Code restored after a reload. */
  async restore(panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = this.webviewOptions();
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.adopt(panel);
    await this.render();
  }

  /** Redraws the page if it is open; does nothing otherwise. */
  async refresh(): Promise<void> {
    if (this.panel) await this.render();
  }

  webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media')] };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icons', 'course.svg');
    this.panelListeners = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState((e) => e.webviewPanel.visible && void this.render()),
      panel.onDidDispose(() => {
        for (const d of this.panelListeners) d.dispose();
        this.panelListeners = [];
        if (this.panel === panel) this.panel = undefined;
      }),
    ];
  }

  private async onMessage(m: unknown): Promise<void> {
    // The page is ours, but its messages are still input: only the listed commands run.
    if (isDashboardMessage(m)) await vscode.commands.executeCommand(DASHBOARD_COMMANDS[m.command]);
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const generation = ++this.generation;
    const webview = panel.webview;
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', name)).toString();
    const parts = { cspSource: webview.cspSource, nonce: makeNonce(), title: vscode.l10n.t('Course Dashboard'), styles: [media('base.css'), media('dashboard.css')], scripts: [media('dashboard.js')] };
    let body: string;
    try {
      const index = await this.deps.loadIndex();
      const now = this.deps.now?.() ?? new Date();
      body = dashboardBody(buildDashboardData(index, this.deps.progress(), now, this.deps.review(), this.deps.quizModule), now);
    } catch (e) {
      body =
        `<main class="not-found"><h1>${escapeHtml(vscode.l10n.t('The dashboard could not be drawn'))}</h1><p>${escapeHtml(e instanceof Error ? e.message : String(e))}</p>` +
        `<p>${vscode.l10n.t('Try {0}, or {1} to see what is wrong.', `<em>${escapeHtml(vscode.l10n.t('Backend Course: Reload Curriculum'))}</em>`, `<em>${escapeHtml(vscode.l10n.t('Show Curriculum Problems'))}</em>`)}</p></main>`;
    }
    if (generation !== this.generation || this.panel !== panel) return;
    webview.html = page({ ...parts, body });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.panelListeners) d.dispose();
    this.panelListeners = [];
  }
}

/* ------------------------------------------------------------------ page body */

function stateLabel(state: ProjectState | 'none'): string {
  switch (state) {
    case 'none':
      return vscode.l10n.t('Not started');
    case 'scaffolded':
      return vscode.l10n.t('Scaffolded');
    case 'failing':
      return vscode.l10n.t('Tests failing');
    case 'passing':
      return vscode.l10n.t('Tests passing');
  }
}

/**
 * The page body for a dashboard snapshot. Pure apart from its module's `vscode` import, and
 * every string from the data goes through escapeHtml (directly or inside the chart functions).
 */
export function dashboardBody(data: DashboardData, now: Date): string {
  return header(data, now) + `<main class="dashboard">${completion(data)}${activity(data, now)}${quizzes(data)}${projects(data, now)}</main>`;
}

function header(data: DashboardData, now: Date): string {
  const c = data.course;
  const last = data.lastActivity
    ? vscode.l10n.t('Last activity: {0}', `<strong>${escapeHtml(data.lastActivity.phrase)}</strong>`)
    : escapeHtml(vscode.l10n.t('No activity recorded yet. Open a lesson to start.'));
  const review = data.review;
  let reviewLine = '';
  let reviewButton = '';
  if (review) {
    const due = review.total === 1 ? vscode.l10n.t('{0} of 1 review card due', review.due) : vscode.l10n.t('{0} of {1} review cards due', review.due, review.total);
    const next = review.next ? ` · ${vscode.l10n.t('next: {0}', describeDay(new Date(review.next), now))}` : '';
    reviewLine = `<p class="review-line">${escapeHtml(due + next)}</p>`;
    const label = review.due > 0 ? vscode.l10n.t('Open Review ({0} due)', review.due) : vscode.l10n.t('Open Review');
    reviewButton = `<button type="button" class="secondary" data-command="reviewDue">${escapeHtml(label)}</button>`;
  }
  const overall = vscode.l10n.t(
    '{0} complete · {1} of {2} lessons, reflections and projects',
    `<span class="overall-percent">${escapeHtml(vscode.l10n.t('{0}%', Math.round(percent(c.done, c.total))))}</span>`,
    c.done,
    c.total,
  );
  return (
    `<header class="dashboard-header"><p class="breadcrumbs">${escapeHtml(data.courseTitle)}</p><h1>${escapeHtml(vscode.l10n.t('Course Dashboard'))}</h1>` +
    `<p class="overall">${overall}</p>` +
    `<p class="last-activity">${last}</p>${reviewLine}` +
    `<div class="actions"><button type="button" data-command="continue">${escapeHtml(vscode.l10n.t('Continue where I left off'))}</button>${reviewButton}` +
    `<button type="button" class="secondary" data-command="exportProgress">${escapeHtml(vscode.l10n.t('Export progress'))}</button></div></header>`
  );
}

function section(id: string, heading: string, content: string): string {
  return `<section class="dashboard-section" aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(heading)}</h2>${content}</section>`;
}

function completion(data: DashboardData): string {
  const rows = (items: readonly { title: string; done: number; total: number }[]): BarRow[] =>
    items.map((m) => ({ label: m.title, value: m.done, max: m.total, valueText: `${m.done}/${m.total}` }));
  const months = rows(data.months);
  const modules = rows(data.modules);
  const byMonth = vscode.l10n.t('Completion by month');
  const byModule = vscode.l10n.t('Completion by module');
  return section(
    'completion-heading',
    vscode.l10n.t('Completion'),
    `<h3>${escapeHtml(vscode.l10n.t('By month'))}</h3>` +
      barChart(months, {
        id: 'chart-months',
        title: byMonth,
        description: vscode.l10n.t('Lessons, reflections and projects complete in each month, as a bar per item with the number done out of the total.'),
      }) +
      barChartTable(months, { caption: byMonth, label: vscode.l10n.t('Month') }) +
      `<h3>${escapeHtml(vscode.l10n.t('By module'))}</h3>` +
      barChart(modules, {
        id: 'chart-modules',
        title: byModule,
        description: vscode.l10n.t('Lessons, reflections and projects complete in each module, as a bar per item with the number done out of the total.'),
      }) +
      barChartTable(modules, { caption: byModule, label: vscode.l10n.t('Module') }),
  );
}

function activity(data: DashboardData, now: Date): string {
  const a = data.activity;
  const days = (n: number) => (n === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', n));
  const stat = (n: number) => `<span class="stat-value">${escapeHtml(days(n))}</span>`;
  const stats =
    `<ul class="stats">` +
    `<li>${vscode.l10n.t('{0} current streak', stat(a.currentStreak))}</li>` +
    `<li>${vscode.l10n.t('{0} longest streak', stat(a.longestStreak))}</li>` +
    `<li>${vscode.l10n.t('{0} with study in the last {1} weeks', stat(a.activeDays), a.weeks)}</li></ul>`;
  const calendar = activityCalendar(a.days, now, a.weeks, {
    id: 'chart-activity',
    title: vscode.l10n.t('Study activity, {0} to {1}', a.from, a.to),
    description: a.activities === 1
      ? vscode.l10n.t('A square per day, darker with more activity: 1 activity on {0}.', days(a.activeDays))
      : vscode.l10n.t('A square per day, darker with more activity: {0} activities on {1}.', a.activities, days(a.activeDays)),
  });
  return section('activity-heading', vscode.l10n.t('Study activity'), `${stats}<div class="calendar">${calendar}</div>${activityCalendarTable(a.days, now, a.weeks)}`);
}

function quizzes(data: DashboardData): string {
  const rows: BarRow[] = data.quizzes.map((q) => ({
    label: q.title,
    value: q.correct,
    max: q.answered,
    // Short, because it sits beside the bar; the table and the chart's description say "correct".
    valueText: q.answered > 0 ? `${q.correct}/${q.answered} · ${vscode.l10n.t('{0}%', Math.round(percent(q.correct, q.answered)))}` : vscode.l10n.t('none yet'),
  }));
  const answered = data.quizzes.reduce((n, q) => n + q.answered, 0);
  const note = answered === 0 ? `<p class="hint">${escapeHtml(vscode.l10n.t('No quiz answered yet. Lessons end with quizzes; your first answer to each counts here.'))}</p>` : '';
  const title = vscode.l10n.t('Quiz accuracy by module');
  return section(
    'quizzes-heading',
    vscode.l10n.t('Quiz accuracy'),
    note +
      barChart(rows, { id: 'chart-quizzes', className: 'quiz-chart', title, description: vscode.l10n.t('Correct answers out of quizzes answered in each module.') }) +
      barChartTable(rows, { caption: title, label: vscode.l10n.t('Module'), value: vscode.l10n.t('Correct'), max: vscode.l10n.t('Answered') }),
  );
}

function projects(data: DashboardData, now: Date): string {
  const heading = vscode.l10n.t('Projects');
  if (data.projects.length === 0) return section('projects-heading', heading, `<p class="hint">${escapeHtml(vscode.l10n.t('This course has no projects.'))}</p>`);
  const items = data.projects
    .map((p, i) => {
      const status = stateLabel(p.state ?? 'none');
      const stages = p.stagesTotal === 1 ? vscode.l10n.t('{0} of 1 stage passed', p.stagesPassed) : vscode.l10n.t('{0} of {1} stages passed', p.stagesPassed, p.stagesTotal);
      const lastRun = p.lastRunAt && !Number.isNaN(new Date(p.lastRunAt).getTime()) ? ` · ${vscode.l10n.t('tests last run {0}', timeSince(new Date(p.lastRunAt), now))}` : '';
      return (
        `<li class="project state-${p.state ?? 'none'}"><div class="project-head"><h3>${escapeHtml(p.title)}</h3><span class="badge">${escapeHtml(status)}</span></div>` +
        stageProgress(p.stagesPassed, p.stagesTotal, p.title, { id: `chart-stages-${i}` }) +
        `<p class="project-meta">${escapeHtml(stages + lastRun)}</p></li>`
      );
    })
    .join('');
  return section('projects-heading', heading, `<ul class="projects">${items}</ul>`);
}
