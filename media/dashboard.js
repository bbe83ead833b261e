// Dashboard page: its only behaviour is asking the extension to run a command for a button.
// The extension checks the command against its own list before running anything.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-command]') : null;
    if (button) vscode.postMessage({ type: 'command', command: button.dataset.command });
  });
})();
