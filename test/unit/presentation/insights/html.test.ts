// The page shell: a strict CSP with a nonce, no build data, and the one escaping function.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../../helpers/paths';
import { insightsCsp, insightsHtml } from '../../../../src/presentation/insights/html';
import { escapeHtml, newNonce } from '../../../../src/presentation/webview-html';

describe('insights: page shell and escaping', () => {
  it('escapes every character that could open a tag, an attribute or a template', () => {
    const hostile = `<img src=x onerror="alert(1)"> 'q' \`bt\` &amp;`;
    const escaped = escapeHtml(hostile);
    assert.doesNotMatch(escaped, /[<>"'`]/);
    assert.equal(
      escaped,
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#39;q&#39; &#96;bt&#96; &amp;amp;',
    );
    assert.equal(escapeHtml('plain //pkg:target'), 'plain //pkg:target');
  });

  it('allows only the nonce script and the extension stylesheet', () => {
    const nonce = newNonce();
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(nonce, newNonce());
    const csp = insightsCsp('https://x.vscode-cdn.net', nonce);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(csp, /img-src 'none'/);
  });

  it('builds the shell from escaped URIs and carries the CSP meta with the nonce', () => {
    const html = insightsHtml({
      cspSource: 'https://x.vscode-cdn.net',
      scriptUri: 'https://x.vscode-cdn.net/ext/media/insights.js?"><script>',
      styleUri: 'https://x.vscode-cdn.net/ext/media/insights.css',
      nonce: 'abc123==',
    });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/,
    );
    assert.match(
      html,
      /<script nonce="abc123==" src="https:\/\/x\.vscode-cdn\.net\/ext\/media\/insights\.js\?&quot;&gt;&lt;script&gt;"><\/script>/,
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
  });
  it('the page script builds the DOM without HTML parsing or code from strings', () => {
    const script = fs.readFileSync(path.join(repoRoot(), 'media', 'insights.js'), 'utf8');
    for (const sink of [
      /\.innerHTML\b/,
      /\.outerHTML\b/,
      /insertAdjacentHTML/,
      /document\.write/,
      /\beval\(/,
      /new Function\(/,
      /createContextualFragment/,
      /setTimeout\(\s*['"`]/,
    ]) {
      assert.doesNotMatch(script, sink);
    }
    assert.match(script, /textContent/);
  });
});
