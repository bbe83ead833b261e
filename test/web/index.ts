// Entry point the web worker extension host loads (extensionTestsPath), from the single-file
// bundle scripts/test-web.mjs builds: the worker gives a module `require('vscode')` and nothing
// else, so mocha comes in as its browser build and everything else is bundled.
import 'mocha/mocha';

export function run(): Promise<void> {
  // The spec reporter writes through console.log, which the workbench re-logs in the page,
  // where scripts/vscode-host prints it.
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60000 });
  // Required, not imported: `describe` and `it` exist only once mocha.setup has run.
  require('./webEntry.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} web test(s) failed`)) : resolve()));
  });
}
