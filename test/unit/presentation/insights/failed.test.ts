// Failed actions as the panel lists them, from the failing 4.2.3 recording.
import * as assert from 'node:assert/strict';
import type { Action } from '../../../../src/model/types';
import { failedActions } from '../../../../src/presentation/insights/failed';
import { replay } from '../replay';

describe('insights: failed actions', () => {
  it('07-failing-build: the broken genrule with its exit code and message', async () => {
    const { model, id } = await replay('07-failing-build');
    const failed = failedActions(model.actions(id));
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.label, 'fail:broken');
    assert.equal(failed[0]?.mnemonic, 'Genrule');
    assert.notEqual(failed[0]?.exitCode, 0);
    assert.ok((failed[0]?.message ?? '').length > 0, JSON.stringify(failed[0]));
    model.dispose();
  });

  it('falls back to the last stderr line and bounds long messages', async () => {
    const { model, id } = await replay('07-failing-build');
    const [broken] = model.actions(id).filter((a) => !a.success);
    assert.ok(broken);
    const noMessage: Action = { ...broken, failureMessage: null, stderr: 'one\n<b>two</b>\n\n' };
    assert.equal(failedActions([noMessage])[0]?.message, '<b>two</b>');
    const long: Action = { ...broken, failureMessage: 'x'.repeat(1000) };
    assert.equal(failedActions([long])[0]?.message?.length, 301);
    assert.deepEqual(failedActions(model.actions(id).filter((a) => a.success)), []);
    model.dispose();
  });
});
