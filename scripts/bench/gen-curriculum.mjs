// Writes a synthetic curriculum with the same schema as curriculum/ (course.json, modules/<id>/
// module.json, one Markdown file per lesson), for measuring the course tree at scale.
//
//   node scripts/bench/gen-curriculum.mjs <dir> [lessons=10000]    (or import generateCurriculum)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @param {string} dir  the curriculum folder to create (must not exist or be empty)
 * @param {{ lessons?: number, months?: number, modulesPerMonth?: number }} [opts]
 * @returns {{ lessons: number, modules: number, months: number, files: number }}
 */
export function generateCurriculum(dir, { lessons = 10_000, months = 3, modulesPerMonth = 10 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const moduleCount = months * modulesPerMonth;
  const course = { id: 'generated-course', title: `Generated course (${lessons} lessons)`, version: '0.0.1', months: [] };
  let files = 1;
  let lessonNo = 0;
  for (let m = 1; m <= months; m++) {
    const month = { id: `month-${m}`, number: m, title: `Generated month ${m}`, summary: 'Synthetic content for benchmarks.', modules: [] };
    for (let k = 1; k <= modulesPerMonth; k++) {
      const moduleIndex = (m - 1) * modulesPerMonth + (k - 1);
      // Spread the lessons evenly: 10,000 over 30 modules is 333 or 334 each.
      const n = Math.floor(((moduleIndex + 1) * lessons) / moduleCount) - Math.floor((moduleIndex * lessons) / moduleCount);
      const id = `gen-m${m}-k${k}`;
      const modDir = path.join(dir, 'modules', id);
      fs.mkdirSync(path.join(modDir, 'lessons'), { recursive: true });
      const mod = {
        id,
        number: `${m}.${k}`,
        title: `Generated module ${m}.${k}`,
        summary: `Module ${m}.${k} of a synthetic course with ${lessons} lessons.`,
        keyConcepts: ['scale', 'trees'],
        lessons: [],
        projects: [],
        reflection: { prompts: [{ id: `${id}-reflect`, text: `What did module ${m}.${k} change in how you work?` }] },
      };
      for (let i = 1; i <= n; i++) {
        lessonNo++;
        const file = `lessons/${String(i).padStart(4, '0')}.md`;
        mod.lessons.push({ id: `${id}-l${i}`, title: `Lesson ${lessonNo}: generated topic ${m}.${k}.${i}`, file, minutes: 10 + (i % 30) });
        fs.writeFileSync(
          path.join(modDir, file),
          `## Why this matters\n\nGenerated lesson ${m}.${k}.${i} for the tree benchmark.\n\n\`\`\`js\nconsole.log(${lessonNo});\n\`\`\`\n`,
        );
        files++;
      }
      fs.writeFileSync(path.join(modDir, 'module.json'), JSON.stringify(mod, null, 2));
      files++;
      month.modules.push(id);
    }
    course.months.push(month);
  }
  fs.writeFileSync(path.join(dir, 'course.json'), JSON.stringify(course, null, 2));
  return { lessons: lessonNo, modules: moduleCount, months, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node scripts/bench/gen-curriculum.mjs <dir> [lessons=10000]');
    process.exit(2);
  }
  console.log(generateCurriculum(path.resolve(dir), { lessons: n ? Number(n) : undefined }));
}
