import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from './types';

/** A parsed JSON document that can map a JSON path back to a line of its source. */
export class LocatedJson {
  private lineStarts: number[] | undefined;
  private tree: Node | undefined;

  private constructor(readonly file: string, private readonly text: string, tree: Node | undefined, readonly value: unknown) {
    this.tree = tree;
  }

  /**
   * Parses strictly (no comments, no trailing commas); syntax errors become problems. Valid
   * JSON (the usual case) goes through the native JSON.parse, and the syntax tree that maps
   * paths to lines is only built when a line is asked for: on a large course that halves the
   * load time.
   */
  static parse(file: string, text: string, problems: Problem[]): LocatedJson | undefined {
    if (text.trim()) {
      try {
        return new LocatedJson(file, text, undefined, JSON.parse(text));
      } catch {
        // Fall through to the tolerant parser, which says where and what the error is.
      }
    }
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const doc = new LocatedJson(file, text, root, root ? getNodeValue(root) : undefined);
    for (const err of errors) {
      problems.push({ file, line: doc.lineAt(err.offset), severity: 'error', message: `invalid JSON: ${printParseErrorCode(err.error)}` });
    }
    if (!root && errors.length === 0) problems.push({ file, line: 1, severity: 'error', message: 'invalid JSON: empty document' });
    if (errors.length > 0 || !root) return undefined;
    return doc;
  }

  lineAt(offset: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private get root(): Node | undefined {
    return (this.tree ??= parseTree(this.text, [], { allowTrailingComma: false, disallowComments: true }));
  }

  /** `{ file, line }` of the value at `path`, with the line looked up only if it is read (when a problem is reported). */
  place(path: readonly (string | number)[]): { readonly file: string; readonly line: number } {
    const doc = this;
    let line: number | undefined;
    return {
      file: this.file,
      get line() {
        return (line ??= doc.lineOf(path));
      },
    };
  }

  /** Line of the value at `path` (e.g. `['lessons', 2, 'file']`), or of the nearest existing ancestor. */
  lineOf(path: readonly (string | number)[]): number {
    const root = this.root;
    if (!root) return 1;
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
      if (node) {
        // Point at the property's key rather than its value when there is one: that is the line an author looks for.
        const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
        return this.lineAt((key ?? node).offset);
      }
    }
    return 1;
  }

  /** Runs a compiled JSON Schema and reports each error at the line it concerns. */
  check(validate: ValidateFunction, problems: Problem[]): boolean {
    if (validate(this.value)) return true;
    for (const err of validate.errors ?? []) {
      const path = pointerToPath(err.instancePath);
      const extra = err.keyword === 'additionalProperties' ? String((err.params as { additionalProperty: string }).additionalProperty) : undefined;
      const at = extra !== undefined ? [...path, extra] : path;
      problems.push({ file: this.file, line: this.lineOf(at), severity: 'error', message: describeSchemaError(err, at) });
    }
    return false;
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

function describeSchemaError(err: ErrorObject, at: readonly (string | number)[]): string {
  const where = formatPath(at);
  switch (err.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property (check its spelling against the schema)`;
    case 'required':
      return `${where}: missing required property "${(err.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where}: must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      if (String((err.params as { pattern: string }).pattern).startsWith('^[a-z0-9]+(-')) {
        return `${where}: ids are lower-case words joined by "-" (e.g. "tcp-and-sockets")`;
      }
      if (/\.files\[\d+\]$/.test(where)) {
        return `${where}: must be a path inside the project folder, written with "/" (e.g. "src/ports.rs"), without ".." or a leading "/"`;
      }
      return `${where}: must match ${(err.params as { pattern: string }).pattern}`;
    default:
      return `${where}: ${err.message ?? 'is invalid'}`;
  }
}
