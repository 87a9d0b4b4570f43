import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainSpawns } from '../../../../src/explain';
import { parseReportMessage } from '../../../../src/presentation/explain/messages';
import { renderReportHtml } from '../../../../src/presentation/explain/report-html';
import { escapeHtml } from '../../../../src/presentation/webview-html';
import {
  buildReport,
  SHOWN_CAUSES,
  type ReportInput,
} from '../../../../src/presentation/explain/report-model';
import { sourceFileOf } from '../../../../src/presentation/explain/source-file';
import { simulateBuild, type ActionSpec } from '../../explain/simulated-build';

const BIN = 'bazel-out/k8-fastbuild/bin';

/** The example workspace's genrule chain plus an env-reading action, as a simulated build. */
function build(input: string, env: Record<string, string> = {}, step1Arg = 'tr a-z A-Z') {
  const actions: ActionSpec[] = [
    {
      outputs: [`${BIN}/gen/step1.txt`],
      inputs: ['gen/input.txt'],
      args: ['/bin/bash', '-c', step1Arg],
      label: '//gen:step1',
    },
    { outputs: [`${BIN}/gen/step2.txt`], inputs: [`${BIN}/gen/step1.txt`], label: '//gen:step2' },
    { outputs: [`${BIN}/gen/step3.txt`], inputs: [`${BIN}/gen/step2.txt`], label: '//gen:step3' },
    { outputs: [`${BIN}/env/greeting.txt`], env, label: '//env:greeting' },
  ];
  return simulateBuild({ 'gen/input.txt': input }, actions);
}

function input(over: Partial<ReportInput> & Pick<ReportInput, 'explanation'>): ReportInput {
  return {
    scope: { kind: 'build' },
    subject: 'build //...',
    comparedWith: 'the baseline before this build',
    isOpenable: (p) => p === 'gen/input.txt',
    ...over,
  };
}

describe('"Why did this miss?" report view-model', () => {
  it('a build: the edited source is the one cause, linked, with its chain to the last action', () => {
    const explanation = explainSpawns(build('hello\n'), build('bonjour\n'));
    const view = buildReport(input({ explanation }));
    assert.equal(view.heading, 'Why did build //... miss the cache?');
    assert.equal(view.empty, null);
    assert.match(view.counts, /^3 changed, 0 added, 0 removed, 0 not run, 1 unchanged/);
    assert.equal(view.causes.length, 1);
    const [cause] = view.causes;
    assert.equal(cause.kind, 'input');
    assert.equal(cause.affected, 3);
    assert.deepEqual(cause.headline, [
      { text: 'input changed: ' },
      { text: 'gen/input.txt', open: 'gen/input.txt' },
    ]);
    assert.deepEqual(cause.chain, [
      `${BIN}/gen/step1.txt`,
      `${BIN}/gen/step2.txt`,
      `${BIN}/gen/step3.txt`,
    ]);
    assert.deepEqual(view.openable, ['gen/input.txt']);
  });

  it('a path the user cannot open is plain text and not linkable', () => {
    const explanation = explainSpawns(build('hello\n'), build('bonjour\n'));
    const view = buildReport(input({ explanation, isOpenable: () => false }));
    assert.deepEqual(view.causes[0].headline, [{ text: 'input changed: gen/input.txt' }]);
    assert.deepEqual(view.openable, []);
  });

  it('an env change shows the changed lines; a secret-looking value is masked', () => {
    const plain = buildReport(
      input({ explanation: explainSpawns(build('a', { X: '1' }), build('a', { X: '2' })) }),
    );
    assert.deepEqual(
      plain.causes.map((c) => [c.kind, c.diff]),
      [
        [
          'env',
          [
            { sign: '-', text: 'X=1' },
            { sign: '+', text: 'X=2' },
          ],
        ],
      ],
    );
    const secret = buildReport(
      input({
        explanation: explainSpawns(
          build('a', { API_TOKEN: 'old-secret' }),
          build('a', { API_TOKEN: 'new-secret' }),
        ),
      }),
    );
    assert.doesNotMatch(JSON.stringify(secret), /secret/);
    assert.deepEqual(
      secret.causes[0].diff.map((l) => l.text),
      ['API_TOKEN=***', 'API_TOKEN=***'],
    );
  });

  it('a target: only its own missed actions, grouped by root cause', () => {
    const explanation = explainSpawns(
      build('hello\n', { X: '1' }, 'tr a-z A-Z'),
      build('bonjour\n', { X: '2' }, 'tr A-Z a-z'),
    );
    const view = buildReport(
      input({ explanation, scope: { kind: 'target', label: '//gen:step1' } }),
    );
    assert.equal(view.heading, 'Why did the actions of //gen:step1 miss the cache?');
    // step1 changed for two reasons at once: its input and its command line.
    assert.deepEqual(view.causes.map((c) => [c.kind, c.affected]).sort(), [
      ['args', 1],
      ['input', 1],
    ]);
    const args = view.causes.find((c) => c.kind === 'args');
    assert.deepEqual(args?.diff, [
      { sign: '-', text: 'tr a-z A-Z' },
      { sign: '+', text: 'tr A-Z a-z' },
    ]);
    const env = buildReport(
      input({ explanation, scope: { kind: 'target', label: '//env:greeting' } }),
    );
    assert.deepEqual(
      env.causes.map((c) => c.kind),
      ['env'],
    );
    const none = buildReport(input({ explanation, scope: { kind: 'target', label: '//nope:x' } }));
    assert.equal(none.causes.length, 0);
    assert.match(none.empty ?? '', /None of the actions of \/\/nope:x differs/);
  });

  it('a target in a log without labels: its actions found by their outputs', () => {
    const unlabelled = (text: string) => build(text).map((spawn) => ({ ...spawn, label: null }));
    const explanation = explainSpawns(unlabelled('hello\n'), unlabelled('bonjour\n'));
    const byLabel = buildReport(
      input({ explanation, scope: { kind: 'target', label: '//gen:step2' } }),
    );
    assert.equal(byLabel.causes.length, 0, 'no labels in the log');
    const byOutput = buildReport(
      input({
        explanation,
        scope: { kind: 'target', label: '//gen:step2', outputs: [`${BIN}/gen/step2.txt`] },
      }),
    );
    assert.deepEqual(
      byOutput.causes.map((c) => [c.kind, c.affected, c.examples]),
      [['input', 1, [`${BIN}/gen/step2.txt`]]],
    );
  });

  it('an action: its causes, the chain from where the change began, and what differs', () => {
    const explanation = explainSpawns(build('hello\n'), build('bonjour\n'));
    const view = buildReport(
      input({
        explanation,
        scope: { kind: 'action', outputs: [`${BIN}/gen/step3.txt`] },
        subject: 'Genrule step3.txt',
      }),
    );
    assert.equal(view.action?.status, 'changed');
    assert.equal(view.action?.title, 'Genrule //gen:step3');
    assert.deepEqual(view.action?.chain, [
      `${BIN}/gen/step1.txt`,
      `${BIN}/gen/step2.txt`,
      `${BIN}/gen/step3.txt`,
    ]);
    assert.deepEqual(view.action?.facts, [
      [{ text: `input changed: ${BIN}/gen/step2.txt` }],
      [{ text: `output differs: ${BIN}/gen/step3.txt` }],
    ]);
    assert.deepEqual(
      view.causes.map((c) => c.kind),
      ['input'],
    );
    assert.equal(view.causes[0].chain.length, 3);
  });

  it('an action that did not miss says so instead of inventing a cause', () => {
    const explanation = explainSpawns(build('hello\n'), build('bonjour\n'));
    const view = buildReport(
      input({ explanation, scope: { kind: 'action', outputs: [`${BIN}/env/greeting.txt`] } }),
    );
    assert.equal(view.action, null);
    assert.deepEqual(view.causes, []);
    assert.match(view.empty ?? '', /does not differ/);
  });

  it('shows the first SHOWN_CAUSES root causes and counts the rest', () => {
    const many = (value: string) =>
      simulateBuild(
        {},
        Array.from({ length: SHOWN_CAUSES + 7 }, (_, i) => ({
          outputs: [`${BIN}/many/o${i}`],
          env: { [`V${i}`]: value },
        })),
      );
    const view = buildReport(input({ explanation: explainSpawns(many('1'), many('2')) }));
    assert.equal(view.causes.length, SHOWN_CAUSES);
    assert.equal(view.causesMore, 7);
    assert.match(renderReportHtml(view, 'N'), /… and 7 more root causes/);
  });

  it('the same build twice: nothing to explain', () => {
    const view = buildReport(input({ explanation: explainSpawns(build('a'), build('a')) }));
    assert.deepEqual(view.causes, []);
    assert.match(view.empty ?? '', /Nothing to explain/);
  });
});

describe('"Why did this miss?" report page', () => {
  const hostile = '<img src=x onerror="alert(1)">\'&';
  function hostileView() {
    const explanation = explainSpawns(build('a', { X: hostile }), build('a', { X: `${hostile}2` }));
    return buildReport(input({ explanation, subject: `build ${hostile}`, isOpenable: () => true }));
  }

  it('escapes every string from the build', () => {
    const html = renderReportHtml(hostileView(), 'NONCE123');
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /onerror="/);
    assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;&#39;&amp;/);
    assert.equal(escapeHtml(`a<b>"c"&'d'`), 'a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;');
  });

  it("has a strict CSP: nothing loads, only the nonce'd style and script run", () => {
    const html = renderReportHtml(hostileView(), 'NONCE123');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(
      csp,
      "default-src 'none'; style-src 'nonce-NONCE123'; script-src 'nonce-NONCE123'",
    );
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="NONCE123">']);
    assert.deepEqual(html.match(/<style[^>]*>/g), ['<style nonce="NONCE123">']);
    assert.doesNotMatch(html, /\son[a-z]+="/i, 'no inline event handlers');
    assert.doesNotMatch(html, /href="(?!#")/, 'no link the page itself would follow');
  });

  it('links source files by data-open, themed by VS Code variables, diff lines marked', () => {
    const explanation = explainSpawns(build('hello\n'), build('bonjour\n'));
    const html = renderReportHtml(buildReport(input({ explanation })), 'N');
    assert.match(html, /<a href="#" data-open="gen\/input.txt"[^>]*>gen\/input.txt<\/a>/);
    assert.match(html, /var\(--vscode-editor-background\)/);
    assert.match(
      html,
      new RegExp(
        `Chain from where the change began: <code>${BIN}/gen/step1.txt</code> ` +
          '<span class="arrow">→</span> <code>',
      ),
    );
    const env = renderReportHtml(
      buildReport(
        input({ explanation: explainSpawns(build('a', { X: '1' }), build('a', { X: '2' })) }),
      ),
      'N',
    );
    assert.match(env, /<div class="del"><span class="sign">-<\/span> X=1<\/div>/);
    assert.match(env, /<div class="ins"><span class="sign">\+<\/span> X=2<\/div>/);
  });
});

describe('"Why did this miss?" messages and links', () => {
  const linked = new Set(['gen/input.txt']);

  it('accepts only an open message for a path the report linked', () => {
    assert.deepEqual(parseReportMessage({ type: 'open', path: 'gen/input.txt' }, linked), {
      type: 'open',
      path: 'gen/input.txt',
    });
    for (const bad of [
      null,
      'open',
      42,
      [],
      { type: 'open' },
      { type: 'open', path: 7 },
      { type: 'open', path: '../../etc/passwd' },
      { type: 'open', path: '/etc/passwd' },
      { type: 'run', path: 'gen/input.txt' },
      { path: 'gen/input.txt' },
    ]) {
      assert.equal(parseReportMessage(bad, linked), null, JSON.stringify(bad));
    }
  });

  it('opens only existing workspace sources, never generated, external or escaping paths', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-why-src-'));
    try {
      fs.mkdirSync(path.join(ws, 'gen'));
      fs.writeFileSync(path.join(ws, 'gen', 'input.txt'), 'x');
      const exists = (f: string) => fs.existsSync(f);
      assert.equal(sourceFileOf(ws, 'gen/input.txt', exists), path.join(ws, 'gen', 'input.txt'));
      for (const p of [
        'gen/missing.txt',
        `${BIN}/gen/step1.txt`,
        'external/repo/file.h',
        'bazel-workspace/gen/input.txt',
        '../outside.txt',
        'gen/../../outside.txt',
        '/etc/passwd',
        'gen//input.txt',
        '',
      ]) {
        assert.equal(sourceFileOf(ws, p, exists), null, p);
      }
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
