import * as vscode from 'vscode';
import { calendarDaysBetween } from '../progress/localDays';

/** When a review question is due, as a learner says it: "today", "tomorrow", "on Friday", or "on Fri, 4 Dec" further ahead. */
export function describeDay(day: Date, now: Date): string {
  const days = calendarDaysBetween(now, day);
  if (days <= 0) return vscode.l10n.t('today');
  if (days === 1) return vscode.l10n.t('tomorrow');
  if (days < 7) return vscode.l10n.t('on {0}', localeDate(day, { weekday: 'long' }));
  return vscode.l10n.t('on {0}', localeDate(day, { weekday: 'short', day: 'numeric', month: 'short' }));
}

/** A date in VS Code's display language (not the operating system's), so it matches the sentence around it. */
function localeDate(day: Date, options: Intl.DateTimeFormatOptions): string {
  try {
    return day.toLocaleDateString(vscode.env.language, options);
  } catch {
    return day.toLocaleDateString(undefined, options); // a display language the runtime does not know
  }
}
