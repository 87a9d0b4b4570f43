import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDiagnostics } from '../../../src/presentation/diagnostics';
import { fixtureText } from './replay';

describe('presentation: problems from Bazel console output', () => {
  it("reads Bazel's own ERROR line of the recorded failing build", () => {
    const console = fixtureText('07-failing-build', 'console.stderr.txt');
    const errorLine = console.split('\n').find((l) => l.startsWith('ERROR: /'));
    assert.ok(errorLine, 'the recording has an ERROR line with a path');
    const [, file, line, column] = /^ERROR: (\/[^:]+):(\d+):(\d+):/.exec(errorLine) ?? [];
    const found = parseDiagnostics(console, '/tmp/ws');
    assert.deepEqual(
      found.map((d) => [d.file, d.line, d.column, d.severity, d.source]),
      [[file, Number(line), Number(column), 'error', 'bazel']],
    );
    assert.match(found[0].message, /Executing genrule \/\/fail:broken failed/);
  });

  it('maps compiler paths from a sandbox or the exec root back to workspace files', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-diag-'));
    fs.mkdirSync(path.join(ws, 'cc'));
    fs.writeFileSync(path.join(ws, 'cc', 'greet.cc'), '');
    const console = [
      '/root/.cache/bazel/_bazel_root/abc/sandbox/linux-sandbox/7/execroot/__main__/cc/greet.cc:3:5: error: expected ; before }',
      'cc/greet.cc:9:1: warning: unused variable x [-Wunused-variable]',
      'bazel-out/k8-fastbuild/bin/cc/gen.h:1:1: error: generated, not in the workspace',
      '\u001b[1mcc/greet.cc:3:5: \u001b[31merror: \u001b[0mexpected ; before }',
    ].join('\n');
    const found = parseDiagnostics(console, ws);
    assert.deepEqual(
      found.map((d) => [path.relative(ws, d.file), d.line, d.column, d.severity]),
      [
        ['cc/greet.cc', 3, 5, 'error'],
        ['cc/greet.cc', 9, 1, 'warning'],
      ],
    );
    fs.rmSync(ws, { recursive: true });
  });

  it('finds nothing in a successful build', () => {
    assert.deepEqual(
      parseDiagnostics(fixtureText('01-clean-build', 'console.stderr.txt'), '/tmp/ws'),
      [],
    );
  });
});
