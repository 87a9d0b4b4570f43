import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi, EXTENSION_ID, report } from './extension-api';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('activation and commands (extension host)', () => {
  it('activates and registers every contributed command', async () => {
    const api = await activatedApi();
    report('activation', { activationMs: api.activationMs });
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { commands: ContributedCommand[] };
    };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
    assert.ok(contributed.includes('remoteBuildLens.build'));
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Remote Build Lens');
  });

  it('focuses the Builds view through the command the status bar item uses', async () => {
    const { context } = await activatedApi();
    // The view becomes visible a moment after the command returns: wait for the event.
    const shown = context.treeView.visible
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const sub = context.treeView.onDidChangeVisibility((e) => {
            if (!e.visible) return;
            sub.dispose();
            resolve(true);
          });
        });
    await vscode.commands.executeCommand('remoteBuildLens.builds.focus');
    assert.equal(await shown, true);
  });

  it('starts no build and no Bazel query on activation', async () => {
    const api = await activatedApi();
    assert.equal(api.context.session.isBuilding, false);
    assert.equal(api.context.session.lastRequest, undefined);
  });

  it('says so, instead of failing, when Rebuild last has nothing to repeat', async () => {
    const result = await vscode.commands.executeCommand('remoteBuildLens.rebuildLast');
    assert.equal(result, undefined);
  });
});
