import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

/**
 * Entry point the extension host loads (`extensionTestsPath`): runs every `*.test.js` next to
 * this file with mocha, inside the real VS Code extension host. Works the same under
 * @vscode/test-electron (a downloaded VS Code) and under our offline code-server runner.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  const grep = process.env.BACKEND_COURSE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
