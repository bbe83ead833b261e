import * as path from 'path';
import { NodeCurriculumSource } from '../curriculum/nodeSource';
import { formatProblem } from '../curriculum/types';
import { validateCurriculum } from '../curriculum/validate';

/** `npm run validate [-- <curriculum dir>]`: prints `path:line: message` per problem; exit 1 on errors. */
async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? 'curriculum');
  const label = path.relative(process.cwd(), root) || '.';
  const report = await validateCurriculum(new NodeCurriculumSource(root));
  for (const p of report.problems) console.log(formatProblem(p, label.split(path.sep).join('/')));
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const s = report.stats;
  if (errors > 0) {
    console.log(`\n${errors} error(s), ${warnings} warning(s) in ${label}`);
    process.exitCode = 1;
  } else {
    console.log(
      `${label}: OK: ${s.months} months, ${s.modules} modules, ${s.lessons} lessons, ${s.quizzes} quizzes, ` +
        `${s.prompts} reflection prompts, ${s.projects} projects, ${s.stages} stages${warnings ? `, ${warnings} warning(s)` : ''}`,
    );
  }
}

main().catch((e) => {
  console.error(`validate: ${(e as Error).stack ?? e}`);
  process.exitCode = 2;
});
