// The critical path as Bazel 4.2.3 sent it in the recordings' BuildToolLogs, kept by the model,
// stored in the summary and parsed for the insights view.
import * as assert from 'node:assert/strict';
import { parseCriticalPath } from '../../../../src/presentation/insights/critical-path';
import { scenarios } from '../../model/shared-fixtures';
import { replay } from '../replay';

describe('insights: critical path from BuildToolLogs (Bazel 4.2.3 recordings)', () => {
  it('01-clean-build: the model keeps the text and the parser lists the steps first to last', async () => {
    const { model, id } = await replay('01-clean-build');
    const text = model.invocation(id)?.criticalPath;
    assert.ok(typeof text === 'string' && text.startsWith('Critical Path: 1.03s'), String(text));
    assert.equal(model.summary(id)?.criticalPath, text);
    const path = parseCriticalPath(text);
    assert.ok(path);
    assert.equal(path.totalMs, 1030);
    assert.equal(path.remoteShare, 0);
    assert.deepEqual(
      path.steps.map((s) => [s.durationMs, s.kind, s.description]),
      [
        [0, 'other', '_Ccompiler_Udeps for @local_config_cc//:compiler_deps'],
        [880, 'action', 'Compiling cc/main.cc'],
        [140, 'action', 'Linking cc/hello'],
        [10, 'other', 'runfiles for //cc:hello'],
      ],
    );
    assert.ok(Math.abs((path.steps[1]?.share ?? 0) - 880 / 1030) < 1e-9);
    model.dispose();
  });

  it('every recording that ends with BuildToolLogs yields a parsed path no longer than its total', async () => {
    let parsed = 0;
    for (const scenario of scenarios()) {
      const { model, id } = await replay(scenario);
      const text = model.invocation(id)?.criticalPath ?? null;
      if (text !== null) {
        const path = parseCriticalPath(text);
        assert.ok(path, `${scenario}: ${text}`);
        assert.ok(path.steps.length >= 1, scenario);
        const sum = path.steps.reduce((n, s) => n + s.durationMs, 0);
        // Bazel rounds each step to 10 ms: the sum may exceed the total by that much per step.
        assert.ok(
          sum <= path.totalMs + 10 * path.steps.length,
          `${scenario}: ${sum} > ${path.totalMs}`,
        );
        parsed++;
      }
      model.dispose();
    }
    // 08-tests-pass-and-fail ends without BuildToolLogs (a failed test run); the others have it.
    assert.ok(parsed >= 8, `parsed ${parsed}`);
  });

  it('refuses text that is not a critical-path summary and bounds hostile input', () => {
    assert.equal(parseCriticalPath(null), null);
    assert.equal(parseCriticalPath(''), null);
    assert.equal(parseCriticalPath('27 processes: 14 internal, 13 linux-sandbox.'), null);
    assert.equal(parseCriticalPath('<img src=x onerror=alert(1)>'), null);
    const headerOnly = parseCriticalPath('Critical Path: 0.00s');
    assert.deepEqual(headerOnly, { totalMs: 0, remoteShare: null, steps: [] });
    const many = `Critical Path: 1.00s\n${"  0.01s action 'x'\n".repeat(10_000)}`;
    assert.equal(parseCriticalPath(many)?.steps.length, 500);
    const odd = parseCriticalPath(
      'Critical Path: 2.50s, Remote (50.00% of the time): [...]\r\n  2.50s action \'<b>"`x`"</b>\'\r\n',
    );
    assert.deepEqual(odd?.steps, [
      { durationMs: 2500, kind: 'action', description: '<b>"`x`"</b>', share: 1 },
    ]);
    assert.equal(odd?.remoteShare, 0.5);
  });
});
