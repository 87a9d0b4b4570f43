// The config readers and editors under fuzzing, seeded from the real files in
// ../shared/corpus: `.bazelrc`, `pants.toml` and `.buckconfig`, mutated, written into a
// temporary workspace and read and planned through src/config's public API (what `rbl remote
// get|set|disable` and the editor's form call). A damaged file may be read, or refused with
// an InputError that names it (and for syntax errors the byte offset), never anything else.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBazelrc, printBazelrc } from '../../../src/config/bazelrc/parse';
import { parseBuckconfig } from '../../../src/config/buck/parse';
import {
  headerSecretsIn,
  removeMarkedFlags,
  setMarkedFlags,
} from '../../../src/config/bazelrc/edit';
import { withBlock, withoutBlocks } from '../../../src/config/buck/edit';
import { joinLines } from '../../../src/config/lines';
import { removeMarked, setGlobalOption } from '../../../src/config/pants/toml-edit';
import {
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  renderPlanDiff,
  type RemoteSettings,
  type Tool,
} from '../../../src/config';
import { decodeText } from '../../../src/config/text-file';
import { InputError } from '../../../src/util/errors';
import { runFuzz, sharedFiles } from '../../helpers/fuzz-check';
import { fuzzCases } from '../../helpers/fuzz-mutate';
import { lineWindow, mutate } from '../../helpers/fuzz-mutate';

const SECRET = 'rbl-fuzz-secret-0815';

const SETTINGS: RemoteSettings = {
  executor: 'grpcs://re.example.com:443',
  instance: 'main',
  headers: { 'x-api-key': SECRET },
  platform: { OSFamily: 'Linux' },
};

const scratch: string[] = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

interface Format {
  tool: Tool;
  corpus: string;
  file: string;
  /** Parsing alone must print back every byte (the editors are lossless). */
  roundTrip: (text: string) => void;
  /** The pure set and disable of the format's editor on one text (no files). */
  edit: (text: string) => void;
  /** What `set` writes: only settings the tool has (Buck2 keeps no platform properties). */
  settings: RemoteSettings;
}

const FORMATS: Format[] = [
  {
    tool: 'bazel',
    corpus: 'corpus/bazelrc',
    file: '.bazelrc',
    roundTrip: (text) => assert.equal(printBazelrc(parseBazelrc(text)), text),
    edit: (text) => {
      headerSecretsIn(text);
      const set = setMarkedFlags(text, 'build', ['--remote_executor=grpcs://re:443']);
      removeMarkedFlags(set, 'build');
    },
    settings: SETTINGS,
  },
  {
    tool: 'pants',
    corpus: 'corpus/pants',
    file: 'pants.toml',
    roundTrip: () => undefined,
    edit: (text) =>
      removeMarked(setGlobalOption(text, 'pants.toml', 'remote_instance_name', 'main')),
    settings: SETTINGS,
  },
  {
    tool: 'buck2',
    corpus: 'corpus/buckconfig',
    file: '.buckconfig',
    roundTrip: (text) => {
      try {
        assert.equal(joinLines(parseBuckconfig(text, '.buckconfig').lines), text);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
    },
    edit: (text) => {
      withoutBlocks(withBlock(text, new Map([['engine_address', 'grpc://re:8980']])));
    },
    settings: {
      executor: 'grpc://re.example.com:8980',
      instance: 'main',
      headers: { 'x-api-key': SECRET },
    },
  },
];

/** An InputError that names the fuzzed file (with an offset) or the flag at fault. */
function assertRefusal(err: unknown, file: string, size: number): void {
  if (!(err instanceof InputError)) {
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`threw something other than an InputError: ${what}`);
  }
  assert.ok(err.source, `the error names nothing: ${err.message}`);
  if (err.source === file && err.offset !== undefined) {
    assert.ok(err.offset >= 0 && err.offset <= size, `offset out of range: ${err.describe()}`);
  }
}

for (const format of FORMATS) {
  describe(`fuzz: ${format.file}`, function () {
    this.timeout(180_000);

    it('the parser and the pure editors: every damaged text is edited or refused with an InputError', () => {
      const seeds = sharedFiles(format.corpus, () => true).map((f) => ({
        name: path.basename(f),
        lines: fs.readFileSync(f, 'utf8').split('\n'),
      }));
      let edited = 0;
      let refused = 0;
      const cases = runFuzz(
        `config-${format.tool}-text`,
        (rng) => {
          const seed = rng.pick(seeds);
          const text = new TextEncoder().encode(lineWindow(seed.lines, rng, 30));
          return { seed: seed.name, mutant: mutate(text, rng, 'text') };
        },
        (c) => {
          const text = decodeText(Buffer.from(c.mutant.bytes)).text;
          format.roundTrip(text);
          try {
            format.edit(text);
            edited++;
          } catch (err) {
            assertRefusal(err, format.file, c.mutant.bytes.length);
            refused++;
          }
        },
      );
      console.log(
        `      config-${format.tool}-text: ${cases} cases, ${edited} edited, ${refused} refused`,
      );
      assert.ok(edited > 0, 'no damaged text was edited at all');
    });

    it('through files and the public API (a tenth of the cases): read and planned, or refused naming the file', () => {
      const seeds = sharedFiles(format.corpus, () => true).map((f) => ({
        name: path.basename(f),
        lines: fs.readFileSync(f, 'utf8').split('\n'),
      }));
      const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-fuzz-config-'));
      scratch.push(ws);
      const target = path.join(ws, format.file);
      const opts = {
        workspace: ws,
        tool: format.tool,
        config: null,
        env: {},
        systemRc: null,
        homeDir: null,
      };
      let read = 0;
      let refused = 0;
      const cases = runFuzz(
        `config-${format.tool}-files`,
        (rng) => {
          const seed = rng.pick(seeds);
          const text = new TextEncoder().encode(lineWindow(seed.lines, rng, 30));
          return { seed: seed.name, mutant: mutate(text, rng, 'text') };
        },
        (c) => {
          const bytes = c.mutant.bytes;
          // The 10 MB cases are read (a long line is legal), but planning on them repeats
          // the same work three times for nothing new.
          const big = bytes.length > 1024 * 1024;
          format.roundTrip(decodeText(Buffer.from(bytes)).text);
          fs.writeFileSync(target, bytes);
          try {
            readRemoteSettings(opts);
            if (!big) {
              const plan = planRemoteSet(opts, format.settings);
              // The diff shown to the user masks the secret.
              assert.ok(!renderPlanDiff(plan).includes(SECRET), 'the plan diff shows the secret');
              planRemoteDisable(opts);
            }
            read++;
          } catch (err) {
            assertRefusal(err, format.file, bytes.length);
            refused++;
          }
        },
        Math.ceil(fuzzCases() / 10),
      );
      console.log(
        `      config-${format.tool}-files: ${cases} cases, ${read} read, ${refused} refused`,
      );
      assert.ok(read > 0, 'no damaged file was read at all');
    });
  });
}

describe('fuzz: config regressions', () => {
  function workspaceWith(name: string, bytes: Buffer): string {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-fuzz-regress-'));
    scratch.push(ws);
    fs.writeFileSync(path.join(ws, name), bytes);
    return ws;
  }
  const options = (workspace: string, tool: Tool) => ({
    workspace,
    tool,
    config: null,
    env: {},
    systemRc: null,
    homeDir: null,
  });

  it('.bazelrc ending in a backslash: the refusal names the file', () => {
    // Found by the fuzzer: src/config/bazelrc/edit.ts (upsert) throws this InputError
    // without a source, so `rbl remote set` cannot say which rc file to fix.
    const ws = workspaceWith('.bazelrc', Buffer.from('build --jobs=4 \\'));
    assert.throws(
      () => planRemoteSet(options(ws, 'bazel'), SETTINGS),
      (err: unknown) => err instanceof InputError && err.source === '.bazelrc',
    );
  });

  it('pants.toml that is not UTF-8: the byte offset of a syntax error is in the file', () => {
    // Found by the fuzzer: src/config/pants/files.ts scanTomlFile counts UTF-8 bytes of text
    // that was decoded as latin1 (each byte >= 0x80 counted twice).
    const bytes = Buffer.concat([
      Buffer.from('[GLOBAL]\n# '),
      Buffer.from([0xff, 0xff]),
      Buffer.from('\nx = "'),
    ]);
    const ws = workspaceWith('pants.toml', bytes);
    assert.throws(
      () => readRemoteSettings(options(ws, 'pants')),
      (err: unknown) =>
        err instanceof InputError && err.offset !== undefined && err.offset <= bytes.length,
    );
  });

  it('.buckconfig that is not UTF-8: the byte offset names the start of the bad line', () => {
    // Found by the fuzzer: src/config/buck/parse.ts counts UTF-8 bytes of latin1-decoded text.
    const bytes = Buffer.concat([
      Buffer.from('# '),
      Buffer.from([0xff, 0xff]),
      Buffer.from('\nnot a line\n'),
    ]);
    const ws = workspaceWith('.buckconfig', bytes);
    assert.throws(
      () => readRemoteSettings(options(ws, 'buck2')),
      (err: unknown) => err instanceof InputError && err.offset === 5,
    );
  });
});
