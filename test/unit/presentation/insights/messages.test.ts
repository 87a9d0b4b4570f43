// Messages from the webview are checked against the protocol; anything else is ignored.
import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../../src/presentation/insights/messages';

describe('insights: webview message schema', () => {
  it('accepts exactly the protocol messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'followLatest' }), { type: 'followLatest' });
    assert.deepEqual(parseWebviewMessage({ type: 'selectInvocation', invocationId: 'abc' }), {
      type: 'selectInvocation',
      invocationId: 'abc',
    });
  });

  it('ignores unknown types, extra or missing fields, wrong types and oversized values', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'ready',
      42,
      [],
      ['ready'],
      {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'ready', extra: 1 },
      { type: 'selectInvocation' },
      { type: 'selectInvocation', invocationId: 7 },
      { type: 'selectInvocation', invocationId: '' },
      { type: 'selectInvocation', invocationId: 'x'.repeat(201) },
      { type: 'selectInvocation', invocationId: 'a', html: '<img src=x>' },
      { type: { toString: () => 'ready' } },
      Object.create({ type: 'ready' }),
    ];
    for (const value of bad) assert.equal(parseWebviewMessage(value), null, JSON.stringify(value));
  });
});
