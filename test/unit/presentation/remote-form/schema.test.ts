import { strict as assert } from 'node:assert';
import { emptyValues, parseWebviewMessage } from '../../../../src/presentation/remote-form';

const SECRET = 'tok-3f9a-secret';

describe('remote form: the schema of messages from the webview', () => {
  const values = { ...emptyValues(), executor: 'grpc://h:1', headerValue: SECRET };

  it('accepts each known message with exactly its fields', () => {
    const ok = [
      { type: 'ready' },
      { type: 'selectTool', tool: 'pants' },
      { type: 'changed', values },
      { type: 'preset', preset: 'buildbuddy', values },
      { type: 'test', values },
      { type: 'preview', values },
      { type: 'apply', values },
    ];
    for (const raw of ok) {
      const r = parseWebviewMessage(raw);
      assert.ok(r.ok, `${raw.type}: ${r.ok ? '' : r.reason}`);
      assert.deepEqual(r.message, raw);
    }
  });

  it('refuses malformed and unknown messages, naming the fault but never a value', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      ['apply', /not an object/],
      [[{ type: 'ready' }], /not an object/],
      [{}, /no message type/],
      [{ type: 'runShell', command: SECRET }, /unknown message type 'runShell'/],
      [{ type: 'ready', extra: SECRET }, /unexpected key 'extra'/],
      [{ type: 'selectTool', tool: 'make' }, /unknown tool/],
      [{ type: 'apply' }, /values is not an object/],
      [{ type: 'apply', values: { ...values, jobs: 4 } }, /values.jobs is not a string/],
      [{ type: 'apply', values: { ...values, evil: SECRET } }, /unknown field 'evil'/],
      [{ type: 'test', values: { executor: 'grpc://h:1' } }, /values.cache is not a string/],
      [{ type: 'apply', values: { ...values, instance: 'x'.repeat(20_000) } }, /too long/],
      [{ type: 'preset', preset: 'acme', values }, /unknown preset/],
      [{ type: 'preview', values, preset: 'custom' }, /unexpected key 'preset'/],
    ];
    for (const [raw, reason] of bad) {
      const r = parseWebviewMessage(raw);
      assert.equal(r.ok, false, JSON.stringify(raw).slice(0, 80));
      if (!r.ok) {
        assert.match(r.reason, reason);
        assert.ok(!r.reason.includes(SECRET), 'a reason never quotes a value');
      }
    }
  });
});
