import * as path from 'path';

/** Repository root, from out/test/unit (compiled) or test/unit (sources). */
export const repoRoot = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
export const fixtures = path.join(repoRoot, 'test', 'fixtures');
