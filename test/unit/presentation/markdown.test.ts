// Build strings in the tree's Markdown tooltips render as the text Bazel gave, rendered here by
// marked (the Markdown renderer VS Code's workbench uses) with HTML left as text.
import * as assert from 'node:assert/strict';
import { marked } from 'marked';
import { mdCode, mdText } from '../../../src/presentation/markdown';
import { actionRow, targetRow } from '../../../src/presentation/rows';
import { replay } from './replay';

const HOSTILE = '//x:<img src=x onerror=alert(1)> `tick` *star* _u_ [l](http://e) #h & \'q\' "qq"';

/** Renders like a tooltip (no HTML) and returns the visible text. */
function visibleText(markdown: string): string {
  const html = marked.parse(markdown, { mangle: false, headerIds: false });
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

describe('presentation: Markdown tooltips take build strings literally', () => {
  it('mdText renders as exactly the text, with no element, emphasis, link or code', () => {
    assert.equal(visibleText(mdText(HOSTILE)), HOSTILE);
    const html = marked.parse(mdText(HOSTILE), { mangle: false, headerIds: false });
    assert.doesNotMatch(html, /<(img|em|strong|a|code|h1)\b/);
  });

  it('mdCode keeps any run of backticks inside one code span', () => {
    for (const text of ['bazel-out/k8/bin/a`b', '`lead', 'trail``', 'plain']) {
      const html = marked.parse(mdCode(text), { mangle: false, headerIds: false });
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
      assert.equal(visibleText(mdCode(text)), text);
    }
  });

  it('action and target rows show a hostile label, output and failure as text', async () => {
    const { model, id } = await replay('01-clean-build');
    const genrule = model.actions(id).find((a) => a.mnemonic === 'Genrule');
    assert.ok(genrule);
    const action = {
      ...genrule,
      label: HOSTILE,
      primaryOutput: 'bazel-out/<b>`x`</b>.txt',
      failureMessage: 'error: *boom* <script>',
    };
    const tooltip = actionRow(action).tooltip.join('  \n');
    const text = visibleText(tooltip);
    assert.ok(text.includes(HOSTILE), text);
    assert.ok(text.includes('bazel-out/<b>`x`</b>.txt'), text);
    assert.ok(text.includes('Failure: error: *boom* <script>'), text);
    const html = marked.parse(tooltip, { mangle: false, headerIds: false });
    assert.doesNotMatch(html, /<(img|em|a|script|b)\b/);
    const target = model.targets(id)[0];
    assert.ok(target);
    const row = targetRow({ ...target, label: HOSTILE }, [], undefined);
    assert.ok(visibleText(row.tooltip.join('  \n')).includes(HOSTILE));
    model.dispose();
  });
});
