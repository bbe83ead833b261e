/** Small checks on parsed JSON, shared by the readers of stored and imported records. */
import * as l10n from '@vscode/l10n';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string `Date.parse` understands (the records store ISO 8601 timestamps). */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !Number.isNaN(Date.parse(value));
}

/** What a value is, for messages such as "expected an object, found an array". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return l10n.t('nothing');
  if (Array.isArray(value)) return l10n.t('an array');
  switch (typeof value) {
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'boolean':
      return l10n.t('a boolean');
    case 'object':
      return l10n.t('an object');
    default:
      return l10n.t('a value of type {0}', typeof value); // not in parsed JSON
  }
}
