#!/usr/bin/env node
// Generates the static protobufjs module (src/gen/protos.js + protos.d.ts) from our own
// schemas in proto/. Static code is used instead of reflection because it decodes faster.
// Skips the work when the outputs are newer than every schema.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const protoDir = path.join(root, 'proto');
const outDir = path.join(root, 'src', 'gen');
const outJs = path.join(outDir, 'protos.js');
const outDts = path.join(outDir, 'protos.d.ts');

function listProtos(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listProtos(p);
    return e.name.endsWith('.proto') ? [p] : [];
  });
}

const protos = listProtos(protoDir).sort();
const newestInput = Math.max(
  ...protos.map((p) => fs.statSync(p).mtimeMs),
  fs.statSync(__filename).mtimeMs,
);
const upToDate =
  fs.existsSync(outJs) && fs.existsSync(outDts) && fs.statSync(outDts).mtimeMs >= newestInput;
if (upToDate && !process.argv.includes('--force')) process.exit(0);

fs.mkdirSync(outDir, { recursive: true });
const bin = path.join(root, 'node_modules', 'protobufjs-cli', 'bin');
// pbts reads the JSDoc comments of a commented build; the shipped module has none.
const commented = path.join(outDir, 'protos.commented.js');
const pbjs = (out, extra) =>
  execFileSync(
    process.execPath,
    [
      path.join(bin, 'pbjs'),
      '-t',
      'static-module',
      '-w',
      'commonjs',
      '--force-number',
      '--no-verify',
      '--no-beautify',
      ...extra,
      '-p',
      protoDir,
      '-o',
      out,
      // Only the entry schemas: the rest come in through their imports (listing an imported
      // file again would define its types twice).
      'build_event_stream.proto',
      'spawn.proto',
      'google/devtools/build/v1/publish_build_event.proto',
      'build/bazel/remote/execution/v2/remote_execution.proto',
      'google/bytestream/bytestream.proto',
      'google/devtools/remoteworkers/v1test2/bots.proto',
    ],
    { cwd: protoDir, stdio: 'inherit' },
  );
pbjs(commented, []);
execFileSync(process.execPath, [path.join(bin, 'pbts'), '-o', outDts, commented], {
  stdio: 'inherit',
});
fs.rmSync(commented);
pbjs(outJs, ['--no-comments']);
console.error(`gen-protos: wrote ${path.relative(root, outJs)} from ${protos.length} schemas`);
