import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Modules that do not import `vscode` (the pure ones, unit-tested without VS Code: charts,
 * dashboard data, stage plans, progress and import readers, the showcase entry…) translate
 * through `@vscode/l10n`. This hands that library the bundle VS Code loaded for the display
 * language (l10n/bundle.l10n.<language>.json), once, when the core starts and before any of
 * them produces text. Without a bundle (English, or a language the extension has no
 * translation for) they keep the English source strings, exactly as `vscode.l10n.t` does.
 */
export function configureL10n(bundle: { [key: string]: string } | undefined = vscode.l10n.bundle): void {
  if (bundle) l10n.config({ contents: bundle });
}
