import { escapeHtml } from '../webview-html';
import type { FieldName } from './fields';

interface FieldSpec {
  name: FieldName;
  label: string;
  kind: 'text' | 'password' | 'number' | 'textarea' | 'download';
  placeholder: string;
}

/** Every field's label; which ones show depends on the tool (the script hides the rest). */
const FIELD_SPECS: readonly FieldSpec[] = [
  {
    name: 'executor',
    label: 'Executor endpoint',
    kind: 'text',
    placeholder: 'grpcs://remote.example.com:443 (empty: cache only)',
  },
  {
    name: 'cache',
    label: 'Cache endpoint',
    kind: 'text',
    placeholder: 'grpcs://cache.example.com:443',
  },
  { name: 'instance', label: 'Instance name', kind: 'text', placeholder: 'main' },
  {
    name: 'tlsCa',
    label: 'TLS CA certificate (PEM file)',
    kind: 'text',
    placeholder: '/path/to/ca.pem (empty: system CAs)',
  },
  {
    name: 'tlsCert',
    label: 'TLS client certificate (PEM file)',
    kind: 'text',
    placeholder: '/path/to/client.crt (mTLS)',
  },
  {
    name: 'tlsKey',
    label: 'TLS client key (PEM file)',
    kind: 'text',
    placeholder: '/path/to/client.key (mTLS)',
  },
  { name: 'headerName', label: 'Auth header name', kind: 'text', placeholder: 'x-api-key' },
  {
    name: 'headerValue',
    label: 'Auth header value (secret)',
    kind: 'password',
    placeholder: 'stored in the secrets file and VS Code SecretStorage',
  },
  {
    name: 'platform',
    label: 'Platform properties (key=value per line)',
    kind: 'textarea',
    placeholder: 'OSFamily=linux',
  },
  { name: 'jobs', label: 'Remote parallelism (jobs)', kind: 'number', placeholder: '50' },
  { name: 'downloadMode', label: 'Download outputs', kind: 'download', placeholder: '' },
  {
    name: 'besBackend',
    label: 'Build Event Service backend',
    kind: 'text',
    placeholder: 'grpcs://bes.example.com',
  },
];

/**
 * The Content-Security-Policy of the form: nothing by default; styles and fonts only from the
 * extension's own files (`cspSource`); scripts only with this page's nonce; no inline styles,
 * no remote resources, no eval.
 */
export function formCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function fieldHtml(f: FieldSpec): string {
  const id = `f-${f.name}`;
  const common = `id="${id}" name="${f.name}" data-field="${f.name}" aria-describedby="${id}-where ${id}-error"`;
  const ph = escapeHtml(f.placeholder);
  const control =
    f.kind === 'textarea'
      ? `<textarea ${common} rows="3" placeholder="${ph}" spellcheck="false"></textarea>`
      : f.kind === 'download'
        ? `<select ${common}><option value="">(tool default)</option><option value="minimal">minimal</option><option value="toplevel">toplevel</option><option value="all">all</option></select>`
        : `<input ${common} type="${f.kind === 'password' ? 'password' : 'text'}"${f.kind === 'number' ? ' inputmode="numeric"' : ''} placeholder="${ph}" autocomplete="off" spellcheck="false">`;
  return [
    `<div class="field" data-row="${f.name}">`,
    `<label for="${id}">${escapeHtml(f.label)}</label>`,
    control,
    f.name === 'headerValue'
      ? '<div class="secret-state" id="secret-state" role="status"></div>'
      : '',
    `<div class="where" id="${id}-where"></div>`,
    `<div class="error" id="${id}-error" role="alert"></div>`,
    '</div>',
  ].join('');
}

/**
 * The form page. It holds no value at all (values arrive by message after `ready`), so no
 * secret can ever be in the HTML. `Enter` in a field runs Test; every button is a real
 * <button> in tab order.
 */
export function formHtml(opts: {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(formCsp(opts.cspSource, opts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">
<title>Configure Remote Execution</title>
</head>
<body>
<main>
<h1>Configure Remote Execution</h1>
<p class="lead" id="workspace"></p>
<div class="banner" id="trust" role="alert" hidden>This workspace is in Restricted Mode: you can fill the form and preview, but Test and Apply need a trusted workspace.</div>
<form id="form" novalidate>
<div class="row">
<div class="field" id="tool-row"><label for="tool">Build tool</label><select id="tool" name="tool"></select></div>
<div class="field"><label for="preset">Preset</label><select id="preset" name="preset"></select><div class="where" id="preset-note" role="status"></div></div>
</div>
${FIELD_SPECS.map(fieldHtml).join('\n')}
<div class="buttons">
<button type="submit" id="test">Test connection</button>
<button type="button" id="preview" class="secondary">Preview</button>
<button type="button" id="apply" class="secondary">Apply</button>
</div>
</form>
<section aria-label="Result" id="result-section">
<div id="status" role="status" aria-live="polite"></div>
<div id="test-result" aria-live="polite"></div>
<div id="preview-result" aria-live="polite"></div>
</section>
<div class="warnings" id="warnings" role="status"></div>
</main>
<script nonce="${opts.nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>`;
}
