import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import { parseFragment } from 'parse5';
import * as path from 'path';
import { CourseIndex } from '../../src/curriculum/courseIndex';
import { loadCurriculum } from '../../src/curriculum/loader';
import { NodeCurriculumSource } from '../../src/curriculum/nodeSource';
import type { Course } from '../../src/curriculum/types';
import { emptyProgress, type Progress } from '../../src/progress/schema';
import { buildShowcaseEntry, showcaseCandidates, showcaseFileName, showcasePrompts } from '../../src/showcase/showcase';
import { fixtures } from './helpers';

const now = new Date(2026, 10, 25, 12, 0); // local time: the file name and dates use local days
const passedAt = new Date(2026, 10, 20, 10, 0).toISOString();

function progress(change: (p: Progress) => void = () => undefined): Progress {
  const p = emptyProgress();
  change(p);
  return p;
}

const passing = (p: Progress) => void (p.projects.hello = { state: 'passing', updatedAt: passedAt, passedAt, lastRun: { at: passedAt, exitCode: 0, stagesPassed: 1, stagesTotal: 1 } });

/** The elements a Markdown renderer that allows raw HTML would produce from the entry. */
function rendered(markdown: string): { tag: string; text: string }[] {
  const html = new MarkdownIt({ html: true }).render(markdown);
  const out: { tag: string; text: string }[] = [];
  type Node = { tagName?: string; nodeName: string; value?: string; childNodes?: Node[] };
  const textOf = (n: Node): string => (n.nodeName === '#text' ? n.value ?? '' : (n.childNodes ?? []).map(textOf).join(''));
  const walk = (n: Node) => {
    if (n.tagName) out.push({ tag: n.tagName, text: textOf(n) });
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parseFragment(html) as unknown as Node);
  return out;
}

describe('showcase entry', () => {
  let index: CourseIndex;
  before(async () => {
    const { course, problems } = await loadCurriculum(new NodeCurriculumSource(path.join(fixtures, 'curricula', 'valid')));
    assert.deepStrictEqual(problems, []);
    index = new CourseIndex(course!);
  });

  it('refuses, with a reason to act on, a project that is unknown, not started or not passing', () => {
    const unknown = buildShowcaseEntry(index, progress(passing), 'nope', { now });
    assert.deepStrictEqual(unknown, { ok: false, reason: 'There is no project "nope" in this version of the course. Pick one from the course view.' });

    const notStarted = buildShowcaseEntry(index, progress(), 'hello', { now });
    assert.strictEqual(notStarted.ok, false);
    assert.match(!notStarted.ok ? notStarted.reason : '', /"Hello Project" has not been started\. Scaffold it, make its tests pass/);

    for (const state of ['scaffolded', 'failing'] as const) {
      const p = progress((p) => void (p.projects.hello = { state, updatedAt: passedAt, passedAt }));
      const r = buildShowcaseEntry(index, p, 'hello', { now });
      assert.strictEqual(r.ok, false, state);
      assert.match(!r.ok ? r.reason : '', /tests of "Hello Project" are not passing yet.*Run Project Tests/, state);
    }
    assert.deepStrictEqual(showcaseCandidates(index, progress()), []);
    assert.deepStrictEqual(showcaseCandidates(index, progress(passing)).map((p) => p.id), ['hello']);
  });

  it('writes the entry: what was built, the stages, the chosen reflections in order, the link and the date', () => {
    const p = progress((p) => {
      passing(p);
      p.answers['hello-reflect'] = { text: 'Use a builder.\n- more tests\n', updatedAt: passedAt };
      p.answers['basics-reflect-two'] = { text: '  When the child printed first.  ', updatedAt: passedAt };
      p.answers['basics-reflect-one'] = { text: 'Not chosen.', updatedAt: passedAt };
    });
    const r = buildShowcaseEntry(index, p, 'hello', {
      now, learnerName: ' Ada  Lovelace ', repositoryUrl: 'https://github.com/ada/hello', promptIds: ['basics-reflect-two', 'hello-reflect'],
    });
    assert.ok(r.ok);
    assert.strictEqual(r.fileName, '2026-11-25-hello-ada-lovelace.md');
    assert.deepStrictEqual(r.warnings, []);
    assert.strictEqual(
      r.markdown,
      [
        '# Hello Project by Ada Lovelace', '',
        '*Fixture Course · 1.1 Basics · 2026-11-25*', '',
        '## What I built', '', 'Says hello.', '',
        'All tests pass: 1 of 1 stage.', '',
        '- [x] Stage 1: Greet', '',
        'Tests first passed on 2026-11-20.', '',
        '## Reflections', '',
        '### “Where did `fork` surprise you?”', '', 'When the child printed first.', '',
        '### “What would you change?”', '', 'Use a builder.\n- more tests', '',
        '## Source', '', '<https://github.com/ada/hello>', '',
        '*Prepared 2026-11-25.*', '',
      ].join('\n'),
    );
    assert.deepStrictEqual(showcasePrompts(index, p, 'hello').map((q) => q.id), ['hello-reflect', 'basics-reflect-one', 'basics-reflect-two']);
  });

  it('checks every stage of a passing project and defaults to the project\'s own answered prompts', () => {
    const course: Course = {
      id: 'c', title: 'C', version: '1',
      months: [{ id: 'm', number: 1, title: 'M', modules: [{
        id: 'mod', number: '1.1', title: 'Mod', keyConcepts: [], lessons: [], prompts: [{ id: 'mod-q', text: 'Module question?' }], monthId: 'm',
        projects: [{
          id: 'rust-microservice', title: 'HTTP Microservice in Rust', moduleId: 'mod', language: 'rust', summary: 'An HTTP service.', toolchain: [], testCommand: 'cargo test', dir: 'projects/x',
          stages: ['Routing', 'Persistence', 'Graceful shutdown'].map((title, i) => ({ id: `s${i}`, title, summary: '', hints: [], files: [] })),
          prompts: [{ id: 'own-q', text: 'What would you do differently?' }, { id: 'own-empty', text: 'Unanswered?' }],
        }],
      }] }],
    };
    const p = progress((p) => {
      p.projects['rust-microservice'] = { state: 'passing', updatedAt: passedAt, lastRun: { at: passedAt, exitCode: 0, stagesPassed: 1 } };
      p.answers['own-q'] = { text: 'Start with the tests.', updatedAt: passedAt };
      p.answers['mod-q'] = { text: 'Module answer.', updatedAt: passedAt };
    });
    const r = buildShowcaseEntry(new CourseIndex(course), p, 'rust-microservice', { now });
    assert.ok(r.ok);
    assert.strictEqual(r.fileName, '2026-11-25-rust-microservice-learner.md');
    assert.match(r.markdown, /^# HTTP Microservice in Rust\n/);
    assert.match(r.markdown, /All tests pass: 3 of 3 stages\.\n\n- \[x\] Stage 1: Routing\n- \[x\] Stage 2: Persistence\n- \[x\] Stage 3: Graceful shutdown\n/);
    assert.match(r.markdown, /### “What would you do differently\?”\n\nStart with the tests\./);
    assert.doesNotMatch(r.markdown, /Module answer|Unanswered/, 'only the project\'s answered prompts by default');
    assert.doesNotMatch(r.markdown, /## Source/);

    // A stage the learner skipped ahead over is not claimed as their work.
    const skipped = structuredClone(p);
    skipped.projects['rust-microservice'].stagesSkipped = ['s1'];
    const honest = buildShowcaseEntry(new CourseIndex(course), skipped, 'rust-microservice', { now });
    assert.ok(honest.ok);
    assert.match(honest.markdown, /- \[x\] Stage 1: Routing\n- \[x\] Stage 2: Persistence \(skipped: the reference solution was applied\)\n- \[x\] Stage 3: Graceful shutdown\n/);

    const chosen = buildShowcaseEntry(new CourseIndex(course), p, 'rust-microservice', { now, promptIds: ['own-empty', 'missing'] });
    assert.ok(chosen.ok);
    assert.doesNotMatch(chosen.markdown, /## Reflections/);
    assert.deepStrictEqual(chosen.warnings, [
      '“Unanswered?” has no answer yet, so it was left out.',
      'The reflection prompt "missing" is not in this version of the course, so it was left out.',
    ]);
  });

  it('includes the repository only as an https link, and says why when it leaves it out', () => {
    const cases: [string, RegExp][] = [
      ['http://github.com/ada/hello', /only https:\/\/ links are included/],
      ['javascript:alert(1)', /only https:\/\/ links are included/],
      ['github.com/ada/hello', /not a valid URL/],
      ['https://ada:ghp_secret@github.com/ada/hello', /contains a user name or password/],
    ];
    for (const [url, why] of cases) {
      const r = buildShowcaseEntry(index, progress(passing), 'hello', { now, repositoryUrl: url });
      assert.ok(r.ok, url);
      assert.doesNotMatch(r.markdown, /## Source/, url);
      assert.ok(!r.markdown.includes(url), url);
      assert.strictEqual(r.warnings.length, 1, url);
      assert.match(r.warnings[0], why, url);
      assert.ok(!r.warnings[0].includes('ghp_secret'), 'a pasted token is not repeated back');
    }
    const odd = buildShowcaseEntry(index, progress(passing), 'hello', { now, repositoryUrl: 'https://example.com/a b>"c' });
    assert.ok(odd.ok);
    assert.match(odd.markdown, /\n<https:\/\/example\.com\/a%20b%3E%22c>\n/, 'an autolink cannot be broken out of');
    const blank = buildShowcaseEntry(index, progress(passing), 'hello', { now, repositoryUrl: '   ' });
    assert.deepStrictEqual(blank.ok && blank.warnings, []);
  });

  it('keeps hostile text from changing the structure or adding HTML', () => {
    const p = progress((p) => {
      passing(p);
      p.answers['hello-reflect'] = {
        text: '# Owned\n<img src=x onerror=alert(1)>\nA fake heading\n===\n<!-- hide the rest\nKeep `a<b` as code.\n```js\nconst tag = "<b>";\n',
        updatedAt: passedAt,
      };
    });
    const r = buildShowcaseEntry(index, p, 'hello', { now, learnerName: '[me](javascript:alert(1)) <script>x</script>', repositoryUrl: 'https://github.com/ada/hello' });
    assert.ok(r.ok);
    const els = rendered(r.markdown);
    assert.deepStrictEqual(
      els.filter((e) => /^h[1-6]$/.test(e.tag)).map((e) => `${e.tag} ${e.text}`),
      ['h1 Hello Project by [me](javascript:alert(1)) <script>x</script>', 'h2 What I built', 'h2 Reflections', 'h3 “What would you change?”', 'h2 Source'],
    );
    assert.ok(!els.some((e) => ['img', 'script'].includes(e.tag)), 'no element from the learner\'s text');
    assert.ok(!els.some((e) => e.tag === 'a' && e.text.includes('me')), 'the name is not a link');
    const paragraphs = els.filter((e) => e.tag === 'p').map((e) => e.text);
    assert.ok(paragraphs.some((t) => t.includes('<img src=x onerror=alert(1)>')), 'shown as text');
    assert.ok(paragraphs.some((t) => t.includes('<!-- hide the rest')), 'a comment hides nothing');
    assert.ok(els.some((e) => e.tag === 'code' && e.text === 'a<b'), 'inline code untouched');
    assert.ok(els.some((e) => e.tag === 'code' && e.text === 'const tag = "<b>";\n'), 'code block untouched');
    assert.match(r.markdown, /\n```\n\n## Source/, 'the unclosed fence is closed before our next section');
    assert.strictEqual(r.fileName, '2026-11-25-hello-me-javascript-alert-1-script-x-script.md');
  });

  it('makes file names from safe slugs', () => {
    assert.strictEqual(showcaseFileName('hello', 'Zoë Ünal', now), '2026-11-25-hello-zoe-unal.md');
    assert.strictEqual(showcaseFileName('hello', '../../etc', now), '2026-11-25-hello-etc.md');
    assert.strictEqual(showcaseFileName('hello', '日本', now), '2026-11-25-hello-learner.md');
  });
});
