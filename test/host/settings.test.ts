import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi } from './extension-api';
import type { SettingsSnapshot } from '../../src/views/settings';

describe('settings (extension host)', () => {
  const config = (): vscode.WorkspaceConfiguration =>
    vscode.workspace.getConfiguration('remoteBuildLens');

  afterEach(async () => {
    for (const key of ['historySize', 'extraFlags']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('reads the defaults declared in package.json', async () => {
    const { context } = await activatedApi();
    const snapshot = context.settings.snapshot();
    assert.equal(snapshot.historySize, 20);
    assert.deepEqual(snapshot.extraFlags, []);
    assert.equal(snapshot.publishAllActions, true);
  });

  it('hands a new snapshot to listeners when a setting changes', async () => {
    const { context } = await activatedApi();
    const changed = new Promise<SettingsSnapshot>((resolve) => {
      const sub = context.settings.onDidChange((s) => {
        sub.dispose();
        resolve(s);
      });
    });
    await config().update('historySize', 7, vscode.ConfigurationTarget.Global);
    assert.equal((await changed).historySize, 7);
    assert.equal(context.settings.snapshot().historySize, 7);
  });

  it('falls back to the default when settings.json holds the wrong type', async () => {
    const { context } = await activatedApi();
    await config().update('extraFlags', 'not-a-list', vscode.ConfigurationTarget.Global);
    assert.deepEqual(context.settings.snapshot().extraFlags, []);
  });
});
