import { escapeHtml } from '../webview-html';

/**
 * The insights page's HTML shell. It holds no build data at all: the host posts data as
 * messages and the page's script puts build strings into the DOM with `textContent`. The only
 * values interpolated here are the webview's resource URIs, its CSP source and the nonce, and
 * they still go through `escapeHtml` so a strange install path cannot break out of an attribute.
 */
export interface InsightsHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/**
 * Content-Security-Policy: nothing by default; styles only from the extension's own media
 * folder (no inline styles; the script sets sizes through the CSSOM, which CSP allows);
 * the one script by nonce (so no inline handler such as `onerror=` can run); no images, fonts,
 * frames or connections.
 */
export function insightsCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function insightsHtml(input: InsightsHtmlInput): string {
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(insightsCsp(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(input.styleUri)}">
<title>Build Insights</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="note">Loading…</p></main>
<script nonce="${e(input.nonce)}" src="${e(input.scriptUri)}"></script>
</body>
</html>
`;
}
