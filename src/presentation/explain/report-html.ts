import { escapeHtml } from '../webview-html';
import type { ActionDetailView, CauseView, DiffLine, ReportView, TextPart } from './report-model';

/**
 * The report's webview page. Every string from a build (paths, arguments, env values, labels)
 * goes through `escapeHtml`; the page loads nothing and runs only its own nonce'd inline script,
 * which posts `{type: 'open', path}` when a file link is clicked (the host checks the path).
 * Styles use VS Code's theme variables, so every theme (high contrast too) recolours it.
 */
export function renderReportHtml(view: ReportView, nonce: string): string {
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const body = [
    `<h1>${escapeHtml(view.heading)}</h1>`,
    `<p class="comparison">${escapeHtml(view.comparison)}</p>`,
    `<p class="counts">${escapeHtml(view.counts)}</p>`,
    view.empty === null ? '' : `<p class="empty">${escapeHtml(view.empty)}</p>`,
    view.action === null ? '' : actionHtml(view.action),
    view.causes.length === 0
      ? ''
      : `<h2>Root cause${view.causes.length === 1 ? '' : 's'}</h2>\n${view.causes.map(causeHtml).join('\n')}`,
    view.causesMore === 0
      ? ''
      : `<p class="more">… and ${view.causesMore} more root causes (<code>rbl explain</code> lists them all).</p>`,
  ]
    .filter((s) => s !== '')
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(view.heading)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${body}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

function causeHtml(cause: CauseView): string {
  const n = cause.affected;
  const examples = cause.examples.map((e) => `<li><code>${escapeHtml(e)}</code></li>`);
  if (cause.more > 0) examples.push(`<li class="more">… and ${cause.more} more</li>`);
  return `<section class="cause" data-kind="${escapeHtml(cause.kind)}">
<h3><span class="badge">${cause.number}</span> ${parts(cause.headline)}</h3>
<p class="affected">Explains ${n} action${n === 1 ? '' : 's'}:</p>
<ul class="examples">${examples.join('')}</ul>
${cause.diff.length === 0 ? '' : diffHtml(cause.diff, cause.diffMore)}
${cause.chain.length === 0 ? '' : chainHtml(cause.chain)}
</section>`;
}

function actionHtml(action: ActionDetailView): string {
  const facts = action.facts.map((f) => `<li>${parts(f)}</li>`).join('');
  return `<section class="action">
<h2>Action <code>${escapeHtml(action.output)}</code></h2>
<p>${escapeHtml(action.title)}: <strong>${escapeHtml(action.status)}</strong></p>
${action.chain.length > 1 ? chainHtml(action.chain) : ''}
${facts === '' ? '' : `<h3>What differs</h3><ul class="facts">${facts}</ul>`}
${action.args.length === 0 ? '' : `<h3>Arguments</h3>${diffHtml(action.args, action.argsMore)}`}
</section>`;
}

/** One line, root first: each step read the changed output of the one before it. */
function chainHtml(chain: string[]): string {
  const steps = chain
    .map((s) => `<code>${escapeHtml(s)}</code>`)
    .join(' <span class="arrow">→</span> ');
  return `<p class="chain">Chain from where the change began: ${steps}</p>`;
}

function diffHtml(lines: DiffLine[], more: number): string {
  const rows = lines.map(
    (l) =>
      `<div class="${l.sign === '-' ? 'del' : 'ins'}"><span class="sign">${l.sign}</span> ${escapeHtml(l.text)}</div>`,
  );
  if (more > 0) rows.push(`<div class="more">… ${more} more changed lines</div>`);
  return `<div class="diff">${rows.join('')}</div>`;
}

function parts(list: TextPart[]): string {
  return list
    .map((p) =>
      p.open === undefined
        ? escapeHtml(p.text)
        : `<a href="#" data-open="${escapeHtml(p.open)}" title="Open ${escapeHtml(p.open)}">${escapeHtml(p.text)}</a>`,
    )
    .join('');
}

// One delegated listener: links carry the path in data-open, never a URL the page would follow.
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-open]') : null;
  if (!link) return;
  event.preventDefault();
  vscode.postMessage({ type: 'open', path: link.getAttribute('data-open') });
});
`;

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
  color: var(--vscode-foreground); background: var(--vscode-editor-background);
  padding: 0 20px 20px; line-height: 1.45; }
h1 { font-size: 1.5em; font-weight: 600; }
h2 { font-size: 1.2em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 4px; }
h3 { font-size: 1.05em; font-weight: 600; }
code, .diff { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
.comparison, .counts, .affected, .more { color: var(--vscode-descriptionForeground); }
.empty { font-style: italic; }
.cause { border-left: 3px solid var(--vscode-textLink-foreground); padding: 2px 12px; margin: 12px 0; }
.badge { display: inline-block; min-width: 1.4em; text-align: center; border-radius: 8px;
  background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground); }
.diff { background: var(--vscode-textCodeBlock-background); padding: 6px 8px; white-space: pre-wrap;
  word-break: break-all; }
.diff .del { background: var(--vscode-diffEditor-removedTextBackground); }
.diff .ins { background: var(--vscode-diffEditor-insertedTextBackground); }
.sign { user-select: none; opacity: 0.7; }
.chain .arrow { color: var(--vscode-descriptionForeground); }
`;
