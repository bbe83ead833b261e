import * as assert from 'assert';
import { readdirSync } from 'fs';
import * as path from 'path';
import { ListedCurriculumSource } from '../../src/course/listedSource';
import { loadCurriculum } from '../../src/curriculum/loader';
import { NodeCurriculumSource } from '../../src/curriculum/nodeSource';
import { fixtures, repoRoot } from './helpers';

/** Every file under `dir`, as POSIX paths relative to it (what the web build lists, less its build-product filter). */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const name = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, name) : [name];
  });
}

/** Reads contents only: folders cannot be listed and every path is a "file", as over https in vscode.dev. */
function contentsOnly(dir: string): NodeCurriculumSource {
  const node = new NodeCurriculumSource(dir);
  return Object.assign(Object.create(node) as NodeCurriculumSource, {
    stat: async () => 'file' as const,
    list: async () => {
      throw new Error('cannot list a folder over https');
    },
  });
}

describe('listed curriculum source (the web entry)', () => {
  for (const [name, dir] of [['the course', path.join(repoRoot, 'curriculum')], ['the broken fixture', path.join(fixtures, 'curricula', 'broken')]] as const) {
    it(`loads ${name} exactly as the Node source does, from contents and a file list alone`, async () => {
      const listed = new ListedCurriculumSource(contentsOnly(dir), filesUnder(dir));
      assert.deepStrictEqual(await loadCurriculum(listed), await loadCurriculum(new NodeCurriculumSource(dir)));
    });
  }

  it('derives folders and kinds from the list, and does not read what it does not list', async () => {
    let reads = 0;
    const source = new ListedCurriculumSource({ readText: async (p) => (reads++, `text of ${p}`) }, ['course.json', 'modules/a/lessons/01.md', 'modules/a/module.json']);
    assert.deepStrictEqual(await source.list(''), ['course.json', 'modules']);
    assert.deepStrictEqual(await source.list('modules/a'), ['lessons', 'module.json']);
    assert.strictEqual(await source.list('modules/a/module.json'), undefined);
    assert.strictEqual(await source.list('modules/b'), undefined);
    assert.strictEqual(await source.stat('modules/a/lessons'), 'directory');
    assert.strictEqual(await source.stat('modules/a/lessons/01.md'), 'file');
    assert.strictEqual(await source.stat('modules/a/lessons/02.md'), undefined);
    assert.strictEqual(await source.readText('modules/a/lessons/02.md'), undefined);
    assert.strictEqual(reads, 0);
    assert.strictEqual(await source.readText('course.json'), 'text of course.json');
  });
});
