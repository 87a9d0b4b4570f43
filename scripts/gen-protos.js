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
fs.writeFileSync(
  outJs,
  withNativeVerifiedStrings(withOwnOneOfSetters(fs.readFileSync(outJs, 'utf8'))),
);
console.error(`gen-protos: wrote ${path.relative(root, outJs)} from ${protos.length} schemas`);

/**
 * The decoders set a oneof's virtual field after every member they decode, and protobufjs'
 * setter then `delete`s every OTHER member by name (28 for a BEP event id, 10 for a BES event,
 * several per File): deletes of properties the message never had, which cost more than the rest
 * of decoding such a message. The replacement has the same meaning (deleting a property an
 * object does not own does nothing) but only looks at the message's own keys, the few fields it
 * decoded. Measured on the ingest path: about 10 % more events per second.
 */
function withOwnOneOfSetters(code) {
  const anchor = 'var $root = ';
  const calls = code.split('$util.oneOfSetter(').length - 1;
  if (calls === 0 || !code.includes(anchor)) {
    throw new Error('gen-protos: the generated module no longer has the expected oneof setters');
  }
  const helper = [
    '// Added by scripts/gen-protos.js: see withOwnOneOfSetters there.',
    'function ownOneOfSetter(fieldNames) {',
    '    var members = new Set(fieldNames);',
    '    return function(name) {',
    '        var keys = Object.keys(this);',
    '        for (var i = 0; i < keys.length; ++i)',
    '            if (keys[i] !== name && members.has(keys[i]))',
    '                delete this[keys[i]];',
    '    };',
    '}',
    '',
    '',
  ].join('\n');
  return code
    .replace(anchor, helper + anchor)
    .split('$util.oneOfSetter(')
    .join('ownOneOfSetter(');
}

/**
 * The decoders read proto3 strings with `reader.stringVerify()`, which protobufjs implements in
 * JavaScript for every reader (a loop of String.fromCharCode, or a fatal TextDecoder over a new
 * subarray): about 40 % of decoding BEP, whose events are mostly strings. Readers of Buffers
 * (what the sink and the file readers decode) get Node's native UTF-8 slice instead, checked
 * the same way: a string with U+FFFD in it is only accepted when its bytes are valid UTF-8, so
 * invalid bytes still throw the TypeError the fatal decoder throws.
 */
function withNativeVerifiedStrings(code) {
  const anchor = 'var $root = ';
  if (!code.includes('.stringVerify()') || !code.includes(anchor)) {
    throw new Error('gen-protos: the generated module no longer reads strings with stringVerify');
  }
  const helper = [
    '// Added by scripts/gen-protos.js: see withNativeVerifiedStrings there.',
    '(function() {',
    '    var isUtf8 = require("buffer").isUtf8;',
    '    var BufferReader = $protobuf.BufferReader;',
    '    if (typeof isUtf8 !== "function" || !BufferReader) return;',
    '    BufferReader.prototype.stringVerify = function read_string_verify_buffer() {',
    '        var length = this.size(), start = this.pos, end = start + length;',
    '        if (end > this.len)',
    '            throw RangeError("index out of range: " + start + " + " + length + " > " + this.len);',
    '        this.pos = end;',
    '        if (length === 0) return "";',
    '        var text = this.buf.utf8Slice(start, end);',
    '        if (text.indexOf("\\ufffd") !== -1 && !isUtf8(this.buf.subarray(start, end)))',
    '            throw new TypeError("The encoded data was not valid for encoding utf-8");',
    '        return text;',
    '    };',
    '})();',
    '',
    '',
  ].join('\n');
  return code.replace(anchor, helper + anchor);
}
