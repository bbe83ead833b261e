import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'parse5';
import { LessonRenderer } from '../../src/render/markdown';
import { fixtures } from './helpers';

/**
 * The hostile corpus: every file is rendered as a lesson and the output is parsed by a real
 * HTML parser. Nothing executable may survive: no script-capable element, no event handler,
 * no style, no URL with a scheme other than http(s)/mailto, and images only from the host.
 */
const ALLOWED_ELEMENTS = new Set([
  'html', 'head', 'body', // parse5 adds these around a fragment
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'pre', 'code', 'em', 'strong', 's',
  'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span', 'button', 'section',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'class', 'id', 'type', 'hidden', 'loading', 'start', 'data-lesson', 'data-external', 'data-quiz-id', 'data-answer', 'data-choice', 'data-verdict', 'role', 'aria-live']);
const IMAGE_PREFIX = 'https://webview.test/curriculum/';

interface Element { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Element[]; content?: Element }

function* elements(node: Element): Generator<Element> {
  if (node.tagName) yield node;
  for (const c of node.childNodes ?? []) yield* elements(c);
  if (node.content) yield* elements(node.content);
}

function render(file: string) {
  return new LessonRenderer().render(readFileSync(file, 'utf8'), {
    docPath: 'modules/evil/lessons/01-evil.md',
    lessonIdForPath: () => undefined,
    imageSrc: (p) => `${IMAGE_PREFIX}${p}`,
  });
}

describe('hostile Markdown corpus', () => {
  const dir = path.join(fixtures, 'hostile');
  const files = readdirSync(dir).filter((f) => f.endsWith('.md'));

  it('has a corpus to check', () => assert.ok(files.length >= 4, `only ${files.length} hostile files`));

  for (const name of files) {
    describe(name, () => {
      const { html } = render(path.join(dir, name));
      const doc = parse(html) as unknown as Element;
      const all = [...elements(doc)];

      it('contains only allowed elements', () => {
        const bad = all.filter((e) => !ALLOWED_ELEMENTS.has(e.tagName!)).map((e) => e.tagName);
        assert.deepStrictEqual(bad, []);
      });

      it('contains no event handlers, styles or unknown attributes', () => {
        const bad = all.flatMap((e) => (e.attrs ?? []).filter((a) => !ALLOWED_ATTRIBUTES.has(a.name)).map((a) => `${e.tagName}[${a.name}]`));
        assert.deepStrictEqual(bad, []);
      });

      it('links only to http(s), mailto, fragments or lessons', () => {
        for (const e of all) {
          const href = e.attrs?.find((a) => a.name === 'href')?.value;
          if (href === undefined) continue;
          assert.ok(/^(https?:\/\/|mailto:|#)/.test(href), `unsafe href ${JSON.stringify(href)}`);
          if (href === '#') assert.ok(e.attrs?.some((a) => a.name === 'data-lesson'), 'a bare # link must be a lesson link');
        }
      });

      it('loads images only from the curriculum through the host', () => {
        for (const e of all) {
          const src = e.attrs?.find((a) => a.name === 'src')?.value;
          if (src === undefined) continue;
          assert.strictEqual(e.tagName, 'img');
          assert.ok(src.startsWith(IMAGE_PREFIX), `unsafe src ${src}`);
          assert.ok(!src.slice(IMAGE_PREFIX.length).split('/').includes('..'), `src escapes the root: ${src}`);
        }
      });

      it('has no script-capable URL anywhere in an attribute', () => {
        for (const e of all) {
          for (const a of e.attrs ?? []) {
            const v = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
            assert.ok(!/(javascript|vbscript|data|command|vscode|file):/.test(v) || a.name === 'title' || a.name === 'alt', `${e.tagName}[${a.name}]=${a.value}`);
          }
        }
      });
    });
  }

  it('still renders the dangerous text visibly, as text', () => {
    const { html } = render(path.join(dir, 'raw-html.md'));
    assert.match(html, /&lt;script&gt;alert\('xss'\)&lt;\/script&gt;/);
    const links = render(path.join(dir, 'links.md'));
    assert.match(links.html, /\[plain js\]\(javascript:alert\(1\)\)/);
    assert.ok(links.problems.some((p) => p.message.includes('"javascript:" link is not allowed')));
  });

  it('keeps the safe parts of the corpus working', () => {
    const { html } = render(path.join(dir, 'links.md'));
    assert.match(html, /<a href="https:\/\/example\.com\/ok" class="external-link" data-external="true">/);
    assert.match(html, /<a href="mailto:someone@example\.com"/);
    const images = render(path.join(dir, 'images.md'));
    assert.match(images.html, /<img src="https:\/\/webview\.test\/curriculum\/modules\/evil\/diagrams\/ok\.svg"/);
    assert.match(images.html, /\[image: remote\]/);
  });
});
