// Workspace Trust in the manifest (issue 10): the extension runs in Restricted Mode only in its
// limited form, every restricted setting is one we declare (a renamed setting would otherwise
// silently lose its protection), the settings that run code or send data are among them, and
// the Builds view has Restricted Mode welcome text with a way to trust the folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] };
  };
  contributes: {
    configuration: { properties: Record<string, unknown> };
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
}

/** Settings that run code from the workspace or send its data elsewhere. */
const MUST_BE_RESTRICTED = [
  'remoteBuildLens.bazelPath',
  'remoteBuildLens.extraFlags',
  'remoteBuildLens.forwardBesBackend',
];

describe('Workspace Trust in package.json', () => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'),
  ) as Manifest;

  it('supports untrusted workspaces in limited form with the code-running settings restricted', () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    const restricted = trust?.restrictedConfigurations ?? [];
    const declared = Object.keys(manifest.contributes.configuration.properties);
    for (const name of restricted) assert.ok(declared.includes(name), `${name} is not a setting`);
    for (const name of MUST_BE_RESTRICTED)
      assert.ok(restricted.includes(name), `${name} not restricted`);
  });

  it('shows Restricted Mode in the Builds view with a link to trust the folder', () => {
    const welcome = manifest.contributes.viewsWelcome.filter(
      (w) => w.view === 'remoteBuildLens.builds',
    );
    // The workbench leaves both trust keys unset until its views are restored: with
    // !isWorkspaceTrusted alone, a restored view flashed Restricted Mode in a trusted folder.
    const restricted = welcome.find((w) => /Restricted Mode/.test(w.contents));
    assert.ok(restricted, 'no Restricted Mode welcome content');
    assert.equal(restricted.when, 'isWorkspaceTrustEnabled && !isWorkspaceTrusted');
    assert.match(restricted.contents, /\(command:workbench\.trust\.manage\)/);
    // The build links must not show where they would only be refused.
    for (const w of welcome.filter((w) => /command:remoteBuildLens\.build/.test(w.contents)))
      assert.equal(w.when, 'isWorkspaceTrusted');
  });
});
