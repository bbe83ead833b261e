import * as assert from 'assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { quizzesInMarkdown } from '../../src/review/quizCatalog';
import { activateExtension, eventually } from './helpers';

describe('dashboard, spaced review, and the learner\'s data', () => {
  it('opens the dashboard with accessible SVG charts under a strict CSP', async () => {
    const core = await activateExtension();
    await core.store.start();
    const index = await core.model.require();
    await core.store.setLessonComplete(index.lessons[0].id, true);
    const panel = (await vscode.commands.executeCommand('backendCourse.openDashboard')) as vscode.WebviewPanel;
    assert.ok(panel, 'the dashboard opened');
    assert.strictEqual(panel.title, 'Course Dashboard');
    const html = panel.webview.html;
    assert.match(html, /Content-Security-Policy[^>]*default-src 'none'/);
    assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="/);
    assert.ok(html.includes(index.course.months[0].modules[0].title.replace(/&/g, '&amp;')), 'module titles are shown');
    assert.doesNotMatch(html, /style="/, 'no inline styles');
    panel.dispose();
  });

  it('makes a wrongly answered quiz due for review, and the session finds it', async () => {
    const core = await activateExtension();
    const index = await core.model.require();
    const markdown = (await core.model.source.readText(index.lessons[0].path))!;
    const quiz = quizzesInMarkdown(markdown)[0];
    assert.ok(quiz, 'the first lesson has a quiz');
    const wrong = (quiz.answer + 1) % quiz.choices.length;
    await core.store.recordQuiz(quiz.id, wrong, false);
    await eventually(() => core.review.snapshot.cards[quiz.id], 'the quiz enrolled as a review card');
    assert.ok(core.review.summary().due >= 1, 'a wrong answer is due today');
    const session = vscode.commands.executeCommand('backendCourse.reviewDue') as Thenable<{ ended: string; answered: number }>;
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const result = await session;
    assert.strictEqual(result.ended, 'stopped');
    assert.strictEqual(result.answered, 0);
    assert.ok(core.review.snapshot.cards[quiz.id], 'stopping keeps the card');
  });

  it('answers a due question in the review session: the right choice moves the card up a box and out of today', async () => {
    const core = await activateExtension();
    const index = await core.model.require();
    const markdown = (await core.model.source.readText(index.lessons[0].path))!;
    const quiz = quizzesInMarkdown(markdown)[0];
    await core.store.recordQuiz(quiz.id, (quiz.answer + 1) % quiz.choices.length, false);
    await eventually(() => core.review.snapshot.cards[quiz.id], 'the quiz enrolled as a review card');
    // Only this question is due, so the session asks it first.
    const due = Object.fromEntries(Object.entries(core.review.snapshot.cards).filter(([id]) => id === quiz.id));
    await core.review.save({ ...core.review.snapshot, cards: due });
    const before = core.review.snapshot.cards[quiz.id];
    assert.ok(new Date(before.due) <= new Date(), 'the card is due');

    const session = vscode.commands.executeCommand('backendCourse.reviewDue') as Thenable<{ ended: string; answered: number; right: number }>;
    await new Promise((r) => setTimeout(r, 1500));
    // The first choice is active; move down to the right one and accept it, as a learner would with the keyboard.
    for (let i = 0; i < quiz.answer; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const result = await session;
    assert.deepStrictEqual([result.ended, result.answered, result.right], ['finished', 1, 1]);
    const after = core.review.snapshot.cards[quiz.id];
    assert.strictEqual(after.box, before.box + 1, 'a right answer moves the card up one box');
    assert.strictEqual(after.reviews, before.reviews + 1);
    assert.ok(new Date(after.due) > new Date(), `no longer due today (due ${after.due})`);
    assert.strictEqual(core.review.summary().due, 0);
  });

  it('exports everything to one file, and imports it back by merging', async () => {
    const core = await activateExtension();
    const index = await core.model.require();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'course-export-'));
    const file = vscode.Uri.file(path.join(dir, 'progress.json'));
    await core.store.setLessonComplete(index.lessons[1].id, true);
    await vscode.commands.executeCommand('backendCourse.exportProgress', file);
    const exported = JSON.parse(readFileSync(file.fsPath, 'utf8'));
    assert.strictEqual(exported.format, 'mastering-backend-progress');
    assert.ok(exported.progress.lessons[index.lessons[1].id]);
    assert.ok(Object.keys(exported.review.cards).length >= 1);

    await core.store.setLessonComplete(index.lessons[1].id, false);
    await core.store.setLessonComplete(index.lessons[2].id, true);
    const summary = (await vscode.commands.executeCommand('backendCourse.importProgress', file, { confirm: false })) as { lessons: { added: number } };
    assert.strictEqual(summary.lessons.added, 1);
    assert.ok(core.store.snapshot.lessons[index.lessons[1].id], 'the exported lesson is back');
    assert.ok(core.store.snapshot.lessons[index.lessons[2].id], 'a lesson completed since is kept');
  });

  it('rejects a corrupt file with the reason and changes nothing', async () => {
    const core = await activateExtension();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'course-import-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ format: 'mastering-backend-progress', version: 1, exportedAt: 'yesterday', progress: {}, review: {} }));
    const before = JSON.stringify(core.store.snapshot);
    const result = await vscode.commands.executeCommand('backendCourse.importProgress', vscode.Uri.file(file), { confirm: false });
    assert.strictEqual(result, undefined);
    assert.strictEqual(JSON.stringify(core.store.snapshot), before);
  });
});
