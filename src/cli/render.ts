import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { loadCurriculum } from '../curriculum/loader';
import { NodeCurriculumSource } from '../curriculum/nodeSource';
import { LessonRenderer } from '../render/markdown';

/**
 * `npm run -s render -- <file.md>`: prints the HTML body the lesson panel shows for a Markdown
 * file, and the problems found (on stderr). Images appear as curriculum-relative paths where the
 * panel would use a webview URI.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run -s render -- <path/to/lesson.md>');
    process.exitCode = 2;
    return;
  }
  const abs = path.resolve(file);
  const markdown = readFileSync(abs, 'utf8');
  const root = findCurriculumRoot(path.dirname(abs));
  const docPath = root ? path.relative(root, abs).split(path.sep).join('/') : path.basename(abs);
  const lessonByPath = new Map<string, string>();
  if (root) {
    const { course } = await loadCurriculum(new NodeCurriculumSource(root));
    for (const m of course?.months ?? []) for (const mod of m.modules) for (const l of mod.lessons) lessonByPath.set(l.path, l.id);
  }
  const result = new LessonRenderer().render(markdown, {
    docPath,
    lessonIdForPath: (p) => lessonByPath.get(p),
    imageSrc: (p) => (root && existsSync(path.join(root, p)) ? p : undefined),
  });
  process.stdout.write(result.html);
  for (const p of result.problems) console.error(`${file}:${p.line}: ${p.message}`);
}

function findCurriculumRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'course.json'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

main().catch((e) => {
  console.error(`render: ${(e as Error).stack ?? e}`);
  process.exitCode = 2;
});
