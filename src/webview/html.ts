/**
 * A fresh nonce per render: only our own script tags carry it. Web Crypto, not Node's `crypto`,
 * because the same panels run in the web extension host (a browser worker) as well.
 */
export function makeNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export interface PageParts {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  readonly styles: readonly string[];
  readonly scripts: readonly string[];
  /** Trusted, already-escaped HTML for the body. */
  readonly body: string;
  /** Data passed to the page script; serialised as JSON into a data attribute (escaped). */
  readonly data?: unknown;
}

/**
 * The page around every webview of the extension. `default-src 'none'` and a per-render nonce:
 * no inline script or style, no remote content, images only from the extension's own roots.
 */
export function page(parts: PageParts): string {
  const csp = [
    "default-src 'none'",
    `img-src ${parts.cspSource}`,
    `style-src ${parts.cspSource}`,
    `font-src ${parts.cspSource}`,
    `script-src 'nonce-${parts.nonce}'`,
  ].join('; ');
  const data = parts.data === undefined ? '' : ` data-page="${escapeHtml(JSON.stringify(parts.data))}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
<title>${escapeHtml(parts.title)}</title>
</head>
<body${data}>
${parts.body}
${parts.scripts.map((src) => `<script nonce="${parts.nonce}" src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>`;
}
