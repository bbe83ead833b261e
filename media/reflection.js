// Reflection page: every keystroke is kept in the webview state at once (survives a reload),
// and posted to the extension after a short pause, on blur, and when the page is hidden. Its
// text comes from the extension (pageData.strings), in the learner's display language.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const pageData = JSON.parse(document.body.dataset.page || '{}');
  const strings = pageData.strings || {};
  const DEBOUNCE_MS = 300;
  const pending = new Map(); // promptId -> timer
  // A draft remembers the saved answer it was typed on top of ("base"). After a reload the
  // extension applies a draft only if the saved answer is still that base, so a draft that is
  // older than what was saved (webview state can lag) never overwrites newer text.
  const drafts = {};
  const acked = {};

  const saveViewState = () => vscode.setState({ ownerId: pageData.ownerId, drafts });

  function send(section) {
    const promptId = section.dataset.promptId;
    clearTimeout(pending.get(promptId));
    pending.delete(promptId);
    const text = section.querySelector('textarea').value;
    vscode.postMessage({ type: 'answer', promptId, text });
    const status = section.querySelector('.prompt-status');
    status.textContent = (text.trim() ? strings.saved : strings.notAnswered) || '';
  }

  function flushAll() {
    for (const promptId of [...pending.keys()]) {
      const section = document.querySelector(`[data-prompt-id="${CSS.escape(promptId)}"]`);
      if (section) send(section);
    }
  }

  document.querySelectorAll('.prompt').forEach((section) => {
    const textarea = section.querySelector('textarea');
    acked[section.dataset.promptId] = textarea.value;
    textarea.addEventListener('input', () => {
      drafts[section.dataset.promptId] = { text: textarea.value, base: acked[section.dataset.promptId] };
      saveViewState();
      section.querySelector('.prompt-status').textContent = strings.saving || '…';
      clearTimeout(pending.get(section.dataset.promptId));
      pending.set(section.dataset.promptId, setTimeout(() => send(section), DEBOUNCE_MS));
    });
    textarea.addEventListener('blur', () => pending.has(section.dataset.promptId) && send(section));
  });
  saveViewState();

  // The extension confirms each saved answer; a confirmed draft is no longer needed.
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'saved' || typeof m.promptId !== 'string') return;
    acked[m.promptId] = m.text;
    if (drafts[m.promptId] && drafts[m.promptId].text === m.text) delete drafts[m.promptId];
    saveViewState();
  });

  // Closing the tab first moves focus out of the webview: flush then, while the page still lives.
  window.addEventListener('blur', flushAll);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushAll());
  window.addEventListener('pagehide', flushAll);

  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a') : null;
    if (!link) return;
    event.preventDefault();
    if (link.dataset.lesson) vscode.postMessage({ type: 'openLesson', lessonId: link.dataset.lesson });
  });
})();
