import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { LessonRenderer } from '../../src/render/markdown';
import { fixtures, repoRoot } from './helpers';

const ctx = {
  docPath: 'modules/basics/lessons/01-first.md',
  lessonIdForPath: (p: string) => ({ 'modules/basics/lessons/02-second.md': 'basics-second', 'modules/other/lessons/01-x.md': 'other-x' })[p],
  imageSrc: (p: string) => (p === 'modules/basics/diagrams/box.svg' ? `vscode-resource:/${p}` : undefined),
};

describe('lesson renderer', () => {
  const r = new LessonRenderer();

  it('highlights code blocks by language and adds a copy button', () => {
    const { html } = r.render('```rust\nfn main() { let x = 1; }\n```\n', ctx);
    assert.match(html, /<code class="hljs language-rust">/);
    assert.match(html, /<span class="hljs-keyword">fn<\/span>/);
    assert.match(html, /<button type="button" class="copy-button"/);
  });

  it('accepts language aliases and leaves unknown languages unhighlighted but escaped', () => {
    assert.match(r.render('```console\n$ ls <dir>\n```\n', ctx).html, /language-shell/);
    const unknown = r.render('```brainfuck\n<>+-\n```\n', ctx).html;
    assert.match(unknown, /<code class="hljs">&lt;&gt;\+-/);
  });

  it('turns links to lesson files into in-panel navigation, across modules too', () => {
    const { html, lessonLinks } = r.render('[next](./02-second.md) and [other](../../other/lessons/01-x.md#part)', ctx);
    assert.match(html, /<a href="#" class="lesson-link" data-lesson="basics-second">next<\/a>/);
    assert.match(html, /data-lesson="other-x"/);
    assert.deepStrictEqual(lessonLinks, ['basics-second', 'other-x']);
  });

  it('shows links to non-lessons as text and reports them with their line', () => {
    const { html, problems } = r.render('para\n\nsee [brief](../../../projects/x/brief.md)\n', ctx);
    assert.match(html, /<span class="unresolved-link">brief<\/span>/);
    assert.deepStrictEqual(problems.map((p) => p.line), [3]);
  });

  it('keeps heading anchors unique and lets fragment links scroll to them', () => {
    const { html } = r.render('## Try it\n\n## Try it\n\n[up](#try-it)', ctx);
    assert.match(html, /<h2 id="try-it">/);
    assert.match(html, /<h2 id="try-it-1">/);
    assert.match(html, /<a href="#try-it">up<\/a>/);
  });

  it('renders tables with alignment as classes, not inline styles', () => {
    const { html } = r.render('| a | b |\n|:-:|--:|\n| 1 | 2 |\n', ctx);
    assert.match(html, /<th class="align-center">a<\/th>/);
    assert.match(html, /<td class="align-right">2<\/td>/);
    assert.doesNotMatch(html, /style=/);
  });

  it('resolves images in the curriculum through the host and refuses the rest', () => {
    const { html, problems } = r.render('![A box](../diagrams/box.svg)\n\n![gone](../diagrams/none.svg)', ctx);
    assert.match(html, /<img src="vscode-resource:\/modules\/basics\/diagrams\/box\.svg" alt="A box" class="lesson-image" loading="lazy">/);
    assert.match(html, /\[image: gone\]/);
    assert.strictEqual(problems.length, 1);
  });

  it('renders a quiz block as an interactive question with explanations', () => {
    const quiz = { id: 'q1', question: 'Pick `two`', choices: [{ text: 'one', explanation: 'no' }, { text: 'two', correct: true, explanation: 'yes' }] };
    const { html, quizzes } = r.render('```quiz\n' + JSON.stringify(quiz) + '\n```\n', ctx);
    assert.strictEqual(quizzes.length, 1);
    assert.strictEqual(quizzes[0].answer, 1);
    assert.match(html, /<section class="quiz" data-quiz-id="q1" data-answer="1">/);
    assert.match(html, /Pick <code>two<\/code>/);
    assert.strictEqual(html.match(/class="quiz-choice-button"/g)?.length, 2);
    assert.strictEqual(html.match(/<div class="quiz-explanation" data-verdict="(in)?correct" hidden>/g)?.length, 2);
  });

  it('reports a broken quiz at its line and shows an error box instead', () => {
    const { html, problems, quizzes } = r.render('intro\n\n```quiz\n{"id": "q", "question": "?", "choices": []}\n```\n', ctx);
    assert.strictEqual(quizzes.length, 0);
    assert.match(html, /class="quiz-error"/);
    assert.strictEqual(problems[0].line, 3);
    assert.match(problems[0].message, /choices/);
  });

  it('is exposed to authors as `npm run render`', () => {
    const script = path.join(repoRoot, 'dist', 'cli', 'render.js');
    const out = execFileSync(process.execPath, [script, path.join(fixtures, 'curricula', 'valid', 'modules', 'basics', 'lessons', '01-first.md')], { encoding: 'utf8' });
    assert.match(out, /^<h2 id="why-this-matters">Why this matters<\/h2>/);
    assert.match(out, /data-lesson="basics-second"/);
    assert.match(out, /<img src="modules\/basics\/diagrams\/box\.svg"/);
    assert.doesNotMatch(out, /<html|<head|Content-Security-Policy/);
  });
});
