import * as vscode from 'vscode';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Progress, ProjectState } from '../progress/schema';
import { escapeHtml, makeNonce, page } from '../webview/html';
import { activityCalendar, activityCalendarTable, barChart, barChartTable, percent, stageProgress, type BarRow } from './charts';
import { buildDashboardData, timeSince, type DashboardData, type ReviewSummary } from './dashboardData';

export const DASHBOARD_VIEW_TYPE = 'backendCourse.dashboard';

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
      this.adopt(vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Course Dashboard', vscode.ViewColumn.Active, this.webviewOptions()));
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
    const parts = { cspSource: webview.cspSource, nonce: makeNonce(), title: 'Course Dashboard', styles: [media('base.css'), media('dashboard.css')], scripts: [media('dashboard.js')] };
    let body: string;
    try {
      const index = await this.deps.loadIndex();
      const now = this.deps.now?.() ?? new Date();
      body = dashboardBody(buildDashboardData(index, this.deps.progress(), now, this.deps.review(), this.deps.quizModule), now);
    } catch (e) {
      body =
        `<main class="not-found"><h1>The dashboard could not be drawn</h1><p>${escapeHtml(e instanceof Error ? e.message : String(e))}</p>` +
        `<p>Try <em>Backend Course: Reload Curriculum</em>, or <em>Show Curriculum Problems</em> to see what is wrong.</p></main>`;
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

const STATE_LABEL: Record<ProjectState | 'none', string> = {
  none: 'Not started',
  scaffolded: 'Scaffolded',
  failing: 'Tests failing',
  passing: 'Tests passing',
};

/**
 * The page body for a dashboard snapshot. Pure apart from its module's `vscode` import, and
 * every string from the data goes through escapeHtml (directly or inside the chart functions).
 */
export function dashboardBody(data: DashboardData, now: Date): string {
  return header(data) + `<main class="dashboard">${completion(data)}${activity(data, now)}${quizzes(data)}${projects(data, now)}</main>`;
}

function header(data: DashboardData): string {
  const c = data.course;
  const last = data.lastActivity
    ? `Last activity: <strong>${escapeHtml(data.lastActivity.phrase)}</strong>`
    : 'No activity recorded yet. Open a lesson to start.';
  const review = data.review;
  const reviewLine = review
    ? `<p class="review-line">${review.due} of ${review.total} review ${review.total === 1 ? 'card' : 'cards'} due${review.next ? ` · next: ${escapeHtml(review.next)}` : ''}</p>`
    : '';
  const reviewButton = review ? `<button type="button" class="secondary" data-command="reviewDue">Open Review${review.due > 0 ? ` (${review.due} due)` : ''}</button>` : '';
  return (
    `<header class="dashboard-header"><p class="breadcrumbs">${escapeHtml(data.courseTitle)}</p><h1>Course Dashboard</h1>` +
    `<p class="overall"><span class="overall-percent">${Math.round(percent(c.done, c.total))}%</span> complete · ${c.done} of ${c.total} lessons, reflections and projects</p>` +
    `<p class="last-activity">${last}</p>${reviewLine}` +
    `<div class="actions"><button type="button" data-command="continue">Continue where I left off</button>${reviewButton}` +
    `<button type="button" class="secondary" data-command="exportProgress">Export progress</button></div></header>`
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
  const describe = (what: string) => `Lessons, reflections and projects complete ${what}, as a bar per item with the number done out of the total.`;
  return section(
    'completion-heading',
    'Completion',
    `<h3>By month</h3>${barChart(months, { id: 'chart-months', title: 'Completion by month', description: describe('in each month') })}` +
      barChartTable(months, { caption: 'Completion by month', label: 'Month' }) +
      `<h3>By module</h3>${barChart(modules, { id: 'chart-modules', title: 'Completion by module', description: describe('in each module') })}` +
      barChartTable(modules, { caption: 'Completion by module', label: 'Module' }),
  );
}

function activity(data: DashboardData, now: Date): string {
  const a = data.activity;
  const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
  const stats =
    `<ul class="stats">` +
    `<li><span class="stat-value">${days(a.currentStreak)}</span> current streak</li>` +
    `<li><span class="stat-value">${days(a.longestStreak)}</span> longest streak</li>` +
    `<li><span class="stat-value">${days(a.activeDays)}</span> with study in the last ${a.weeks} weeks</li></ul>`;
  const calendar = activityCalendar(a.days, now, a.weeks, {
    id: 'chart-activity',
    title: `Study activity, ${a.from} to ${a.to}`,
    description: `A square per day, darker with more activity: ${a.activities} ${a.activities === 1 ? 'activity' : 'activities'} on ${days(a.activeDays)}.`,
  });
  return section('activity-heading', 'Study activity', `${stats}<div class="calendar">${calendar}</div>${activityCalendarTable(a.days, now, a.weeks)}`);
}

function quizzes(data: DashboardData): string {
  const rows: BarRow[] = data.quizzes.map((q) => ({
    label: q.title,
    value: q.correct,
    max: q.answered,
    // Short, because it sits beside the bar; the table and the chart's description say "correct".
    valueText: q.answered > 0 ? `${q.correct}/${q.answered} · ${Math.round(percent(q.correct, q.answered))}%` : 'none yet',
  }));
  const answered = data.quizzes.reduce((n, q) => n + q.answered, 0);
  const note = answered === 0 ? `<p class="hint">No quiz answered yet. Lessons end with quizzes; your first answer to each counts here.</p>` : '';
  return section(
    'quizzes-heading',
    'Quiz accuracy',
    note +
      barChart(rows, { id: 'chart-quizzes', className: 'quiz-chart', title: 'Quiz accuracy by module', description: 'Correct answers out of quizzes answered in each module.' }) +
      barChartTable(rows, { caption: 'Quiz accuracy by module', label: 'Module', value: 'Correct', max: 'Answered' }),
  );
}

function projects(data: DashboardData, now: Date): string {
  if (data.projects.length === 0) return section('projects-heading', 'Projects', '<p class="hint">This course has no projects.</p>');
  const items = data.projects
    .map((p, i) => {
      const status = STATE_LABEL[p.state ?? 'none'];
      const lastRun = p.lastRunAt && !Number.isNaN(new Date(p.lastRunAt).getTime()) ? ` · tests last run ${escapeHtml(timeSince(new Date(p.lastRunAt), now))}` : '';
      return (
        `<li class="project state-${p.state ?? 'none'}"><div class="project-head"><h3>${escapeHtml(p.title)}</h3><span class="badge">${status}</span></div>` +
        stageProgress(p.stagesPassed, p.stagesTotal, p.title, { id: `chart-stages-${i}` }) +
        `<p class="project-meta">${p.stagesPassed} of ${p.stagesTotal} ${p.stagesTotal === 1 ? 'stage' : 'stages'} passed${lastRun}</p></li>`
      );
    })
    .join('');
  return section('projects-heading', 'Projects', `<ul class="projects">${items}</ul>`);
}
