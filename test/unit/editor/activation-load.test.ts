// What loading the extension's entry module evaluates: the editor layer, the model and the
// store, not the build engine (BES sink, gRPC, generated protobuf code), the remote client or
// the explanation engine. Those load with the first build, connection test or explanation;
// evaluating them at activation was most of its time (the bench's activation part measures it
// in the real VS Code). Run in a fresh Node process (this one has loaded everything already),
// with `vscode` stood in for: only module loading is checked.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const HEAVY = [
  '/@grpc/grpc-js/',
  '/protobufjs/',
  '/fzstd/',
  '/src/gen/',
  '/src/runner/build-session.js',
  '/src/bes/sink.js',
  '/src/remote/',
  '/src/explain/explain.js',
];

/** Loads ENTRY with a stand-in `vscode` and prints the modules it evaluated, as JSON. */
const PROBE = `
const Module = require('node:module');
const original = Module._load;
const standIn = new Proxy(function () {}, {
  get: (_t, p) => (p === '__esModule' ? false : standIn),
  apply: () => standIn,
  construct: () => standIn,
});
Module._load = function (request, parent, isMain) {
  return request === 'vscode' ? standIn : original.call(this, request, parent, isMain);
};
require(process.env.ENTRY);
process.stdout.write(JSON.stringify(Object.keys(require.cache)));
`;

describe('editor: loading the extension module', () => {
  it('evaluates no build engine, gRPC, protobuf, remote client or explanation engine', () => {
    const entry = path.resolve(__dirname, '..', '..', '..', 'src', 'extension.js');
    const run = spawnSync(process.execPath, ['-e', PROBE], {
      env: { ...process.env, ENTRY: entry },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const loaded = (JSON.parse(run.stdout) as string[]).map((m) => m.split(path.sep).join('/'));
    assert.ok(
      loaded.some((m) => m.endsWith('/src/views/builds-tree.js')),
      `the entry module did not load the editor layer: ${loaded.join(', ')}`,
    );
    const heavy = loaded.filter((m) => HEAVY.some((h) => m.includes(h)));
    assert.deepEqual(heavy, [], 'modules that should load on first use, not at activation');
  });
});
