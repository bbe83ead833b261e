/**
 * URL policy for lesson content. The renderer only ever emits an `href` that passed
 * `externalHref` or `fragmentHref`, and an image `src` that the host produced itself; everything
 * else becomes plain text. This holds without the webview's CSP.
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):/;
const EXTERNAL_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Drop ASCII control characters and spaces: browsers ignore them inside a scheme (`jav\tascript:`). */
function squeeze(url: string): string {
  return url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
}

/**
 * markdown-it's parse-time filter: a link or image whose URL fails stays literal text.
 * Allows http(s)/mailto, and scheme-less references (resolved later against the curriculum).
 */
export function isAllowedAtParse(url: string): boolean {
  const u = squeeze(url).toLowerCase();
  if (u.startsWith('//') || u.startsWith('\\') || u.startsWith('/\\')) return false; // protocol-relative
  const m = SCHEME.exec(u);
  return !m || EXTERNAL_SCHEMES.has(m[1]);
}

/** The URL to emit for a link that leaves the editor, or undefined when it may not. */
export function externalHref(url: string): string | undefined {
  const u = squeeze(url);
  const m = SCHEME.exec(u.toLowerCase());
  if (!m || !EXTERNAL_SCHEMES.has(m[1])) return undefined;
  try {
    const parsed = new URL(u);
    return EXTERNAL_SCHEMES.has(parsed.protocol.slice(0, -1)) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function isSchemeLess(url: string): boolean {
  return !SCHEME.test(squeeze(url).toLowerCase());
}

/** `#some-heading` → the fragment, when it is a plain slug. */
export function fragmentHref(url: string): string | undefined {
  return /^#[A-Za-z0-9_-]+$/.test(url) ? url : undefined;
}

const IMAGE_EXTENSIONS = /\.(svg|png|jpe?g|gif|webp)$/i;

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.test(path);
}

/** Splits `path#frag?query` into its path part, decoding percent escapes. */
export function pathPart(url: string): string | undefined {
  const cut = url.search(/[?#]/);
  const raw = cut < 0 ? url : url.slice(0, cut);
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
