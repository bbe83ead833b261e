// Baseline for activation-time comparisons: what `yo code` generates, minus comments.
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('helloWorld.sayHello', () => vscode.window.showInformationMessage('Hello World!')),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
