import * as l10n from '@vscode/l10n';
import type { CourseIndex } from '../curriculum/courseIndex';
import type { Prompt } from '../curriculum/types';
import type { Progress } from '../progress/schema';

/**
 * The reflection journal: every answer as Markdown, under month / module (or project) /
 * prompt headings, each with the date it was last edited. Answers whose prompt is no longer in
 * the course are kept in a final section, because the journal is the learner's and loses nothing.
 */
export function buildJournal(index: CourseIndex, progress: Readonly<Progress>, now: Date): string {
  const answers = progress.answers;
  const used = new Set<string>();
  const out: string[] = [];
  const total = Object.values(answers).filter((a) => a.text.trim() !== '').length;

  out.push(`# ${l10n.t('Reflection journal: {0}', index.course.title)}`, '');
  out.push(total === 1 ? l10n.t('Exported {0}. 1 answer.', day(now.toISOString())) : l10n.t('Exported {0}. {1} answers.', day(now.toISOString()), total), '');

  const section = (heading: string, prompts: readonly Prompt[]): string[] => {
    const lines: string[] = [];
    for (const p of prompts) {
      const a = answers[p.id];
      if (!a || a.text.trim() === '') continue;
      used.add(p.id);
      lines.push(`#### ${oneLine(p.text)}`, '', `*${day(a.updatedAt)}*`, '', a.text.trimEnd(), '');
    }
    return lines.length ? [heading, '', ...lines] : [];
  };

  for (const month of index.course.months) {
    const monthLines: string[] = [];
    for (const mod of month.modules) {
      monthLines.push(...section(`### ${mod.number} ${mod.title}`, mod.prompts));
      for (const project of mod.projects) monthLines.push(...section(`### ${l10n.t('Project: {0}', project.title)}`, project.prompts));
    }
    if (monthLines.length) out.push(`## ${l10n.t('Month {0}: {1}', month.number, month.title)}`, '', ...monthLines);
  }

  const orphans = Object.entries(answers).filter(([id, a]) => !used.has(id) && a.text.trim() !== '');
  if (orphans.length) {
    out.push(`## ${l10n.t('Answers to prompts no longer in the course')}`, '');
    for (const [id, a] of orphans) out.push(`#### ${id}`, '', `*${day(a.updatedAt)}*`, '', a.text.trimEnd(), '');
  }
  if (total === 0) out.push(`*${l10n.t("No reflections yet. Open a module's reflection prompts from the course view to start.")}*`, '');
  return out.join('\n');
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
