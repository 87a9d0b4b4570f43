// Smoke test of the activation benchmark's parts that need no code-server: the generated empty
// extension, reading VS Code's Running Extensions rows, the window URL, and the loud refusal
// when the real VS Code (the e2e rig) is missing. The measurement itself runs in `npm run bench`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  RigMissingError,
  parseActivationTime,
  runActivationBench,
  windowUrl,
  writeEmptyExtension,
} from '../../../bench/activation-bench';
import type { CodeServer } from '../../e2e/harness/code-server';
import { repoRoot } from '../../helpers/paths';

describe('bench: activation', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bench-activation-test-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an empty extension that activates on the same event as ours and does nothing', () => {
    const ext = writeEmptyExtension(path.join(dir, 'empty'));
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      main: string;
      activationEvents: string[];
      engines: { vscode: string };
    };
    const ours = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
      activationEvents: string[];
    };
    assert.equal(`${manifest.publisher}.${manifest.name}`, 'rbl-bench.empty-extension');
    for (const event of manifest.activationEvents) assert.ok(ours.activationEvents.includes(event));
    assert.ok(manifest.engines.vscode);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated CommonJS file itself
    const mod = require(path.join(ext, manifest.main)) as { activate(): unknown };
    assert.equal(mod.activate(), undefined);
  });

  it("reads VS Code's activation time from a Running Extensions row", () => {
    assert.equal(parseActivationTime('Startup Activation: 12ms'), 12);
    assert.equal(parseActivationTime('Activation: 0ms'), 0);
    assert.equal(parseActivationTime('Activation: 375 ms'), 375);
    assert.equal(parseActivationTime('Activating...'), null);
    assert.equal(parseActivationTime(''), null);
  });

  it('loads our extension in development mode in a window on the folder', () => {
    const server = { port: 4242, origin: 'http://127.0.0.1:4242' } as CodeServer;
    const url = new URL(windowUrl(server, '/tmp/ws', '/work/ext'));
    assert.equal(url.searchParams.get('folder'), '/tmp/ws');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [
      ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:4242/work/ext'],
    ]);
  });

  it('refuses loudly, with how to install it, when the real VS Code is missing', async () => {
    const saved = process.env.RBL_VSCODE_RIG_DIR;
    process.env.RBL_VSCODE_RIG_DIR = path.join(dir, 'no-rig');
    try {
      await assert.rejects(
        runActivationBench({ runs: 1 }, () => undefined),
        (err: unknown) =>
          err instanceof RigMissingError && /install-vscode-rig\.sh/.test(err.message),
      );
    } finally {
      if (saved === undefined) delete process.env.RBL_VSCODE_RIG_DIR;
      else process.env.RBL_VSCODE_RIG_DIR = saved;
    }
  });
});
