import * as l10n from '@vscode/l10n';
import { escapeHtml } from '../webview/html';
import { addLocalDays, localDayKey } from '../progress/localDays';
import { activityWindow } from './dashboardData';

/**
 * Small SVG charts for the dashboard webview, as markup strings.
 *
 * - The webview's CSP allows no inline styles, so nothing here has a `style` attribute: colours
 *   come from class names styled in media/dashboard.css with theme variables, and geometry from
 *   SVG presentation attributes (x, y, width, height).
 * - Each chart is `role="img"` and named by its own <title> and <desc> (unique ids). Bar charts
 *   and the calendar have companion tables with the same numbers, rendered visually hidden for
 *   screen readers; a stage bar is always shown next to its numbers as text, so it needs none.
 * - All text is escaped here; callers pass plain strings.
 * - Text of our own goes through @vscode/l10n (configured with the extension's bundle at start).
 */

export interface ChartText {
  readonly title: string;
  readonly description: string;
  /** Base for the element ids; must be unique in the page. Generated when omitted. */
  readonly id?: string;
  /** An extra class on the <svg>, e.g. to colour one chart differently. */
  readonly className?: string;
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
  readonly max: number;
  /** What to print next to the label; defaults to "value/max". */
  readonly valueText?: string;
}

let generated = 0;

/** An id usable in HTML and in `aria-labelledby` (no spaces, nothing to escape). */
function chartId(wanted: string | undefined): string {
  const clean = (wanted ?? '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '');
  return clean || `chart-${++generated}`;
}

function labelled(id: string, text: ChartText): { attrs: string; head: string } {
  return {
    attrs: `role="img" aria-labelledby="${id}-title ${id}-desc"`,
    head: `<title id="${id}-title">${escapeHtml(text.title)}</title><desc id="${id}-desc">${escapeHtml(text.description)}</desc>`,
  };
}

/** A share in percent, 0–100 with one decimal, safe for a zero maximum. */
export function percent(value: number, max: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(100, Math.round((value / max) * 1000) / 10);
}

const BAR_ROW = 40; // one label line above one bar
const BAR_TEXT_Y = 14;
const BAR_Y = 21;
const BAR_HEIGHT = 10;

/**
 * Horizontal bars, one per row: the label on a line, the bar underneath with its value just past
 * its right end. The SVG has no viewBox, so its width follows the page while text keeps its size;
 * bar lengths are percentages of that width, which SVG attributes accept. The value is drawn in
 * the SVG's right padding (see .bar-chart in dashboard.css), so it stays visible at any width; a
 * label too long for a narrow page is cut off at the edge instead.
 */
export function barChart(rows: readonly BarRow[], text: ChartText): string {
  const id = chartId(text.id);
  const { attrs, head } = labelled(id, text);
  const classes = `chart bar-chart${text.className ? ` ${escapeHtml(text.className)}` : ''}`;
  if (rows.length === 0) {
    return `<svg class="${classes}" ${attrs} width="100%" height="24">${head}<text class="empty" x="0" y="16">${escapeHtml(l10n.t('Nothing to show yet'))}</text></svg>`;
  }
  const body = rows
    .map((row, i) => {
      const top = i * BAR_ROW;
      const share = percent(row.value, row.max);
      const value = row.valueText ?? `${row.value}/${row.max}`;
      return (
        `<g class="bar-row">` +
        `<text class="label" x="0" y="${top + BAR_TEXT_Y}">${escapeHtml(row.label)}</text>` +
        `<rect class="bar-track" x="0" y="${top + BAR_Y}" width="100%" height="${BAR_HEIGHT}" rx="2"></rect>` +
        (share > 0 ? `<rect class="bar-fill" x="0" y="${top + BAR_Y}" width="${share}%" height="${BAR_HEIGHT}" rx="2"></rect>` : '') +
        `<text class="value" x="100%" dx="8" y="${top + BAR_Y + BAR_HEIGHT - 1}">${escapeHtml(value)}</text>` +
        `</g>`
      );
    })
    .join('');
  return `<svg class="${classes}" ${attrs} width="100%" height="${rows.length * BAR_ROW}">${head}${body}</svg>`;
}

export interface TableHeadings {
  readonly caption: string;
  readonly label?: string;
  readonly value?: string;
  readonly max?: string;
}

/**
 * The numbers of a bar chart as a table (label, value, maximum, percent), visually hidden. The
 * wrapper carries the hiding: a table box ignores `width: 1px` and would widen the page.
 */
export function barChartTable(rows: readonly BarRow[], headings: TableHeadings): string {
  const head = [headings.label ?? l10n.t('Item'), headings.value ?? l10n.t('Done'), headings.max ?? l10n.t('Total'), l10n.t('Percent')];
  const body = rows
    .map((r) => `<tr><th scope="row">${escapeHtml(r.label)}</th><td>${r.value}</td><td>${r.max}</td><td>${escapeHtml(l10n.t('{0}%', percent(r.value, r.max)))}</td></tr>`)
    .join('');
  return (
    `<div class="visually-hidden"><table><caption>${escapeHtml(headings.caption)}</caption>` +
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body}</tbody></table></div>`
  );
}

/** Fixed steps, so a shade means the same amount on every day and for every learner. */
export function activityLevel(count: number): 0 | 1 | 2 | 3 | 4 {
  if (count <= 0) return 0;
  if (count === 1) return 1;
  if (count <= 3) return 2;
  if (count <= 6) return 3;
  return 4;
}

export function activityPhrase(count: number, day: string): string {
  if (count <= 0) return l10n.t('No activity on {0}', day);
  return count === 1 ? l10n.t('1 activity on {0}', day) : l10n.t('{0} activities on {1}', count, day);
}

const CELL = 11;
const STEP = 14;
const LEFT = 30; // room for weekday labels
const TOP = 16; // room for month labels

/** Month labels above the calendar, January first; looked up when drawn, once the bundle is configured. */
function monthLabels(): readonly string[] {
  return [
    l10n.t({ message: 'Jan', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Feb', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Mar', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Apr', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'May', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Jun', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Jul', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Aug', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Sep', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Oct', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Nov', comment: ['abbreviated month name, a label of the activity calendar'] }),
    l10n.t({ message: 'Dec', comment: ['abbreviated month name, a label of the activity calendar'] }),
  ];
}

/** The weekday rows that are labelled (0 is Monday). */
function weekdayLabels(): readonly [number, string][] {
  return [
    [0, l10n.t({ message: 'Mon', comment: ['abbreviated weekday name, a label of the activity calendar'] })],
    [2, l10n.t({ message: 'Wed', comment: ['abbreviated weekday name, a label of the activity calendar'] })],
    [4, l10n.t({ message: 'Fri', comment: ['abbreviated weekday name, a label of the activity calendar'] })],
  ];
}

/**
 * A GitHub-style grid: one column per week (Monday on top), the last column holding `end`; days
 * after `end` are left out. Squares carry `level-0`…`level-4` and a <title> tooltip. It has a
 * viewBox, so on a narrow page it shrinks as a whole instead of being cut off.
 */
export function activityCalendar(days: ReadonlyMap<string, number>, end: Date, weeks: number, text: ChartText): string {
  const id = chartId(text.id);
  const { attrs, head } = labelled(id, text);
  const { start } = activityWindow(end, weeks);
  const last = localDayKey(end);
  const width = LEFT + weeks * STEP;
  const height = TOP + 7 * STEP + 22;
  const parts: string[] = [];

  const months = monthLabels();
  let lastLabelled = -3;
  for (let w = 0; w < weeks; w++) {
    const monday = addLocalDays(start, 7 * w);
    const startsMonth = w === 0 || monday.getMonth() !== addLocalDays(monday, -7).getMonth();
    // Month names are about three columns wide; skip one that would overlap the previous.
    if (startsMonth && w - lastLabelled >= 3) {
      parts.push(`<text class="axis" x="${LEFT + w * STEP}" y="10">${escapeHtml(months[monday.getMonth()])}</text>`);
      lastLabelled = w;
    }
    for (let d = 0; d < 7; d++) {
      const key = localDayKey(addLocalDays(monday, d));
      if (key > last) break;
      const count = days.get(key) ?? 0;
      parts.push(
        `<rect class="day level-${activityLevel(count)}" x="${LEFT + w * STEP}" y="${TOP + d * STEP}" width="${CELL}" height="${CELL}" rx="2">` +
          `<title>${escapeHtml(activityPhrase(count, key))}</title></rect>`,
      );
    }
  }
  for (const [row, name] of weekdayLabels()) parts.push(`<text class="axis" x="0" y="${TOP + row * STEP + 9}">${escapeHtml(name)}</text>`);

  // Legend, bottom right: Less ▢▢▢▢▢ More
  const legendY = TOP + 7 * STEP + 8;
  const legendX = width - 5 * STEP - 34;
  parts.push(`<text class="axis" x="${legendX - 4}" y="${legendY + 9}" text-anchor="end">${escapeHtml(l10n.t({ message: 'Less', comment: ['Legend of the activity calendar: Less ▢▢▢▢▢ More'] }))}</text>`);
  for (let level = 0; level <= 4; level++) {
    parts.push(`<rect class="day level-${level}" x="${legendX + level * STEP}" y="${legendY}" width="${CELL}" height="${CELL}" rx="2"></rect>`);
  }
  parts.push(`<text class="axis" x="${legendX + 5 * STEP + 2}" y="${legendY + 9}">${escapeHtml(l10n.t({ message: 'More', comment: ['Legend of the activity calendar: Less ▢▢▢▢▢ More'] }))}</text>`);

  return `<svg class="chart activity-calendar${text.className ? ` ${escapeHtml(text.className)}` : ''}" ${attrs} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${head}${parts.join('')}</svg>`;
}

/** The calendar's numbers: each day with activity, in date order, visually hidden. */
export function activityCalendarTable(days: ReadonlyMap<string, number>, end: Date, weeks: number): string {
  const from = localDayKey(activityWindow(end, weeks).start);
  const to = localDayKey(end);
  const active = [...days].filter(([day, n]) => n > 0 && day >= from && day <= to).sort(([a], [b]) => (a < b ? -1 : 1));
  if (active.length === 0) return `<p class="visually-hidden">${escapeHtml(l10n.t('No study activity recorded from {0} to {1}.', from, to))}</p>`;
  return (
    `<div class="visually-hidden"><table><caption>${escapeHtml(l10n.t('Days with study activity from {0} to {1}', from, to))}</caption>` +
    `<thead><tr><th scope="col">${escapeHtml(l10n.t('Day'))}</th><th scope="col">${escapeHtml(l10n.t('Activities'))}</th></tr></thead>` +
    `<tbody>${active.map(([day, n]) => `<tr><th scope="row">${escapeHtml(day)}</th><td>${n}</td></tr>`).join('')}</tbody></table></div>`
  );
}

/**
 * One segment per stage, passed ones filled. Segment widths are percentages; the gaps between
 * them are a stroke in the page background colour (see dashboard.css).
 */
export function stageProgress(passed: number, total: number, label: string, options: { id?: string } = {}): string {
  const id = chartId(options.id);
  const done = Math.max(0, Math.min(passed, total));
  const summary =
    total === 0 ? l10n.t('This project has no stages')
    : total === 1 ? l10n.t('{0} of 1 stage passed', done)
    : l10n.t('{0} of {1} stages passed', done, total);
  const { attrs, head } = labelled(id, { title: l10n.t('{0}: stage progress', label), description: summary });
  const share = total > 0 ? 100 / total : 100;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const segments =
    total > 0
      ? Array.from({ length: total }, (_, i) => {
          const state = i < done ? 'passed' : 'pending';
          return (
            `<rect class="stage ${state}" x="${round(i * share)}%" y="0" width="${round(share)}%" height="12">` +
            `<title>${escapeHtml(state === 'passed' ? l10n.t('Stage {0} of {1}: passed', i + 1, total) : l10n.t('Stage {0} of {1}: not passed yet', i + 1, total))}</title></rect>`
          );
        }).join('')
      : `<rect class="stage pending" x="0" y="0" width="100%" height="12"></rect>`;
  return `<svg class="chart stage-progress" ${attrs} width="100%" height="12">${head}${segments}</svg>`;
}
