import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCurriculum } from '../../src/curriculum/loader';
import { NodeCurriculumSource } from '../../src/curriculum/nodeSource';
import { formatProblem } from '../../src/curriculum/types';
import { validateCurriculum } from '../../src/curriculum/validate';
import { fixtures, repoRoot } from './helpers';

const valid = path.join(fixtures, 'curricula', 'valid');

/** A writable copy of the valid fixture with one change applied. */
function mutated(change: (root: string) => void): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'curriculum-'));
  cpSync(valid, root, { recursive: true });
  change(root);
  return root;
}

function edit(root: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(root, file);
  const before = readFileSync(p, 'utf8');
  const after = before.replace(from, to);
  assert.notStrictEqual(after, before, `mutation did not apply to ${file}`);
  writeFileSync(p, after);
}

async function problemsOf(root: string): Promise<string[]> {
  try {
    return (await validateCurriculum(new NodeCurriculumSource(root))).problems.map((p) => formatProblem(p, ''));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('curriculum loading', () => {
  it('loads the valid fixture with ids, order and paths', async () => {
    const { course, problems } = await loadCurriculum(new NodeCurriculumSource(valid));
    assert.deepStrictEqual(problems, []);
    const mod = course!.months[0].modules[0];
    assert.deepStrictEqual(mod.lessons.map((l) => [l.id, l.path]), [
      ['basics-first', 'modules/basics/lessons/01-first.md'],
      ['basics-second', 'modules/basics/lessons/02-second.md'],
    ]);
    assert.strictEqual(mod.projects[0].testCommand, 'cargo test');
    assert.deepStrictEqual(mod.projects[0].toolchain[0].versionArgs, ['--version']);
  });

  it('loads the real curriculum without errors', async () => {
    const report = await validateCurriculum(new NodeCurriculumSource(path.join(repoRoot, 'curriculum')));
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p));
    assert.deepStrictEqual(errors, []);
    assert.strictEqual(report.course!.months.length, 3);
    assert.strictEqual(report.course!.months.flatMap((m) => m.modules).length, 6);
    assert.strictEqual(report.stats.projects, 7);
  });
});

describe('curriculum validator', () => {
  const cases: [string, (root: string) => void, string][] = [
    ['a JSON syntax error, at its line', (r) => edit(r, 'modules/basics/module.json', '"title": "Basics",', '"title": "Basics"'), 'modules/basics/module.json:5: invalid JSON: CommaExpected'],
    ['a missing required property', (r) => edit(r, 'course.json', '"title": "Fixture Course",', ''), 'course.json:1: (top level): missing required property "title"'],
    ['an unknown property, at the property', (r) => edit(r, 'modules/basics/module.json', '"summary"', '"sumary"'), 'modules/basics/module.json:5: sumary: unknown property (check its spelling against the schema)'],
    ['an id that is not lower-case words', (r) => edit(r, 'modules/basics/module.json', '"id": "basics-second"', '"id": "Basics_Second"'), 'modules/basics/module.json:9: lessons[1].id: ids are lower-case words joined by "-" (e.g. "tcp-and-sockets")'],
    ['a duplicate lesson id', (r) => edit(r, 'modules/basics/module.json', '"id": "basics-second"', '"id": "basics-first"'), 'modules/basics/module.json:9: duplicate lesson id "basics-first" (first declared at curriculum/modules/basics/module.json:8)'],
    ['a duplicate prompt id across a module and a project', (r) => edit(r, 'projects/hello/project.json', '"id": "hello-reflect"', '"id": "basics-reflect-one"'), 'projects/hello/project.json:10: duplicate prompt id "basics-reflect-one" (first declared at curriculum/modules/basics/module.json:14)'],
    ['a lesson file that does not exist', (r) => rmSync(path.join(r, 'modules/basics/lessons/02-second.md')), 'modules/basics/module.json:9: lesson file "lessons/02-second.md" does not exist (expected curriculum/modules/basics/lessons/02-second.md)'],
    ['a module listed in course.json without a manifest', (r) => rmSync(path.join(r, 'modules/basics/module.json')), 'course.json:7: module "basics" is listed in course.json but curriculum/modules/basics/module.json does not exist'],
    ['a module with no lessons', (r) => edit(r, 'modules/basics/module.json', /"lessons": \[[\s\S]*?\],/, '"lessons": [],'), 'modules/basics/module.json:7: lessons: must NOT have fewer than 1 items'],
    ['a stage file the solution does not have', (r) => edit(r, 'projects/hello/project.json', '"files": ["main.rs"]', '"files": ["main.rs", "src/gone.rs"]'), 'projects/hello/project.json:9: stage "hello-stage-one" lists "src/gone.rs", which is not in curriculum/projects/hello/solution/'],
    ['a stage file that escapes the project', (r) => edit(r, 'projects/hello/project.json', '"files": ["main.rs"]', '"files": ["../main.rs"]'), 'projects/hello/project.json:9: stages[0].files[0]: must be a path inside the project folder, written with "/" (e.g. "src/ports.rs"), without ".." or a leading "/"'],
    ['a solution file no stage lists', (r) => writeFileSync(path.join(r, 'projects/hello/solution/extra.rs'), 'fn extra() {}\n'), 'projects/hello/project.json:9: warning: solution file "extra.rs" is listed by no stage, so skipping ahead never applies it'],
    ['a snapshot folder that is not a stage', (r) => { mkdirSync(path.join(r, 'projects/hello/stages/hello-stage-two'), { recursive: true }); writeFileSync(path.join(r, 'projects/hello/stages/hello-stage-two/main.rs'), ''); }, 'projects/hello/stages/hello-stage-two:1: "hello-stage-two" is not a stage of project "hello"; snapshot folders are named after stage ids'],
    ['a snapshot no later stage continues', (r) => { mkdirSync(path.join(r, 'projects/hello/stages/hello-stage-one'), { recursive: true }); writeFileSync(path.join(r, 'projects/hello/stages/hello-stage-one/main.rs'), ''); }, 'projects/hello/stages/hello-stage-one/main.rs:1: a snapshot is the state of a file after its stage for a later stage to continue: stage "hello-stage-one" and a later stage must both list "main.rs"'],
    ['a module with no reflection prompts', (r) => edit(r, 'modules/basics/module.json', /"prompts": \[[\s\S]*?\]\n/, '"prompts": []\n'), 'modules/basics/module.json:13: reflection.prompts: must NOT have fewer than 1 items'],
    ['a project without a solution', (r) => rmSync(path.join(r, 'projects/hello/solution'), { recursive: true }), 'projects/hello/project.json:1: project is missing its solution (expected directory curriculum/projects/hello/solution)'],
    ['a project without a brief', (r) => rmSync(path.join(r, 'projects/hello/brief.md')), 'projects/hello/project.json:1: project is missing its brief (expected file curriculum/projects/hello/brief.md)'],
    ['a project without a test command', (r) => edit(r, 'projects/hello/project.json', '"test": { "command": "cargo test" },', ''), 'projects/hello/project.json:1: (top level): missing required property "test"'],
    ['a project that names another module', (r) => edit(r, 'projects/hello/project.json', '"module": "basics"', '"module": "elsewhere"'), 'projects/hello/project.json:4: module "elsewhere" does not match the module that lists this project ("basics")'],
    ['a quiz with two correct answers', (r) => edit(r, 'modules/basics/lessons/01-first.md', '"text": "One",', '"text": "One", "correct": true,'), 'modules/basics/lessons/01-first.md:11: quiz "basics-q1": exactly one choice must have "correct": true (found 2)'],
    ['a link to a file that is not a lesson', (r) => edit(r, 'modules/basics/lessons/01-first.md', './02-second.md', './03-third.md'), 'modules/basics/lessons/01-first.md:3: link "./03-third.md" does not point to a lesson in the curriculum; it is shown as plain text'],
    ['a missing image', (r) => rmSync(path.join(r, 'modules/basics/diagrams/box.svg')), 'modules/basics/lessons/01-first.md:5: image "../diagrams/box.svg" was not found (curriculum/modules/basics/diagrams/box.svg)'],
  ];

  for (const [what, change, expected] of cases) {
    it(`reports ${what}`, async () => {
      const problems = await problemsOf(mutated(change));
      assert.ok(problems.includes(expected), `expected\n  ${expected}\ngot\n  ${problems.join('\n  ')}`);
    });
  }

  it('finds nothing wrong in the valid fixture', async () => {
    assert.deepStrictEqual(await problemsOf(mutated(() => undefined)), []);
  });

  it('prints path:line: message for a broken tree and exits 1 (npm run validate)', () => {
    const script = path.join(repoRoot, 'dist', 'cli', 'validate.js');
    const run = spawnSync(process.execPath, [script, path.join('test', 'fixtures', 'curricula', 'broken')], { cwd: repoRoot, encoding: 'utf8' });
    assert.strictEqual(run.status, 1);
    assert.strictEqual(run.stdout, readFileSync(path.join(fixtures, 'curricula', 'broken.expected.txt'), 'utf8'));
    for (const line of run.stdout.trim().split('\n').slice(0, -2)) assert.match(line, /^test\/fixtures\/curricula\/broken\/[^:]+:\d+: /);
  });

  it('exits 0 with a summary for a valid tree', () => {
    const script = path.join(repoRoot, 'dist', 'cli', 'validate.js');
    const run = spawnSync(process.execPath, [script, valid], { cwd: repoRoot, encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stdout);
    assert.match(run.stdout, /OK: 1 months, 1 modules, 2 lessons, 1 quizzes, 3 reflection prompts, 1 projects, 1 stages/);
  });
});
