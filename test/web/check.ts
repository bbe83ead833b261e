// Node's `assert` is not available in the web worker, and the tests need only these few checks.

export function ok(value: unknown, message: string): asserts value {
  if (!value) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function sameList(actual: readonly string[], expected: readonly string[], message: string): void {
  const a = [...actual].sort();
  const e = [...expected].sort();
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  if (missing.length || extra.length) throw new Error(`${message}: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
}

export function includes(text: string, part: string, message: string): void {
  if (!text.includes(part)) throw new Error(`${message}: ${JSON.stringify(part)} not found in ${JSON.stringify(text.slice(0, 300))}…`);
}

/** Polls until `check` returns something truthy, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
