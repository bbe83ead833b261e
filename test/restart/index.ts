import * as assert from 'assert';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { CourseApi } from '../../src/extension';

/**
 * Two runs of a real VS Code that share their state (see scripts/test-integration.mjs):
 * phase "write" answers a reflection prompt through the extension's command and ends the
 * host, which deactivates the extension; phase "read" starts a new host, so the extension is
 * activated afresh, and finds the answer.
 */
const ANSWER = `A process boundary turns a crash into a restart (written ${process.env.BACKEND_COURSE_RESTART_TOKEN ?? 'now'}).`;

export function run(): Promise<void> {
  const phase = process.env.BACKEND_COURSE_TEST_PHASE;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  mocha.suite.emit('pre-require', globalThis, 'restart', mocha);
  describe(`progress across a restart (${phase})`, () => {
    it(phase === 'write' ? 'saves a reflection answer through the command' : 'finds the answer after the extension was activated again', async () => {
      const api = await (await vscode.extensions.getExtension<CourseApi>('mastering-backend.mastering-backend')!.activate()).ready();
      const prompt = (await api.model.load()).index!.course.months[0].modules[0].prompts[0];
      if (phase === 'write') {
        await vscode.commands.executeCommand('backendCourse.answerPrompt', prompt.id, ANSWER);
        assert.strictEqual(api.store.answer(prompt.id), ANSWER);
      } else {
        assert.strictEqual(phase, 'read', 'BACKEND_COURSE_TEST_PHASE must be write or read');
        assert.strictEqual(api.store.answer(prompt.id), ANSWER);
      }
    });
  });
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} failed`)) : resolve())));
}
