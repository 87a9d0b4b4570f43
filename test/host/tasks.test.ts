import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi } from './extension-api';

describe('task provider (extension host)', () => {
  it('offers build and test tasks for the open Bazel workspace', async () => {
    await activatedApi();
    const tasks = await vscode.tasks.fetchTasks({ type: 'remoteBuildLens' });
    const names = tasks.map((t) => `${t.source}: ${t.name}`).sort();
    assert.deepEqual(names, ['Remote Build Lens: build //...', 'Remote Build Lens: test //...']);
    const build = tasks.find((t) => t.name === 'build //...');
    assert.ok(build?.execution instanceof vscode.CustomExecution);
    assert.equal(build?.group?.id, vscode.TaskGroup.Build.id);
    assert.deepEqual(build?.definition, {
      type: 'remoteBuildLens',
      command: 'build',
      targets: ['//...'],
    });
  });
});
