import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { removeMarkedFlags, setMarkedFlags } from '../../../src/config/bazelrc/edit';
import { parseBazelrc, printBazelrc } from '../../../src/config/bazelrc/parse';
import { withBlock, withoutBlocks } from '../../../src/config/buck/edit';
import { parseBuckconfig } from '../../../src/config/buck/parse';
import { removeMarked, setGlobalOption } from '../../../src/config/pants/toml-edit';
import { scanToml, type TomlValue } from '../../../src/config/pants/toml-scan';
import { InputError } from '../../../src/util/errors';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan, changedFiles } from '../../../src/config/edit-plan';
import {
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  type WorkspaceOptions,
} from '../../../src/config/remote-settings';
import type { RemoteSettings, Tool } from '../../../src/config/settings';
import { snapshot, tempDir } from './helpers';

// Thousands of cases per run in a few seconds; fast-check prints the seed and the shrunk
// counterexample on failure (re-run with { seed, path } to reproduce).
const RUNS = Number(process.env.RBL_PROPERTY_RUNS ?? 1500);

const eol = fc.constantFrom('\n', '\r\n');
const space = fc.constantFrom('', ' ', '  ', '\t');
const text = (chars: string, max = 12) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: max });
const junk = text('abcXYZ09 _-=:/.,"\'\\#%@é—', 20);

/** Joins generated lines with random endings, with or without a final newline. */
function layout(lines: string[], ends: string[], finalNewline: boolean): string {
  return lines
    .map((l, i) => l + (i < lines.length - 1 || finalNewline ? ends[i % ends.length] : ''))
    .join('');
}

// Through real files (and git look-ups) each case costs ~100 ms: fewer cases by default,
// more with RBL_PROPERTY_RUNS (e.g. 15000 gives 200 per format).
const FILE_RUNS = Math.max(20, Math.floor(RUNS / 75));

const url = fc.constantFrom(
  'grpc://localhost:8980',
  'grpcs://re.example.com:443',
  'grpcs://cache.example.com',
);
const plainText = fc
  .string({ minLength: 1, maxLength: 10 })
  .filter((v) => !/[\r\n,]/.test(v) && v.trim() === v);
const keyText = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
const bazelSettings: fc.Arbitrary<RemoteSettings> = fc.record(
  {
    executor: url,
    cache: url,
    instance: plainText,
    jobs: fc.integer({ min: 1, max: 500 }),
    platform: fc.dictionary(keyText, plainText, { minKeys: 1, maxKeys: 2 }),
    headers: fc.dictionary(keyText, plainText, { minKeys: 1, maxKeys: 2 }),
    downloadMode: fc.constantFrom('minimal', 'toplevel', 'all'),
  },
  { requiredKeys: [] },
);
const pantsSettings: fc.Arbitrary<RemoteSettings> = fc.record(
  {
    executor: url,
    cache: url,
    instance: plainText,
    jobs: fc.integer({ min: 1, max: 500 }),
    platform: fc.dictionary(keyText, plainText, { minKeys: 1, maxKeys: 2 }),
    headers: fc.dictionary(keyText, plainText, { minKeys: 1, maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
const buckSettings: fc.Arbitrary<RemoteSettings> = fc.record(
  {
    executor: url,
    cache: url,
    instance: plainText.filter((v) => !/[\\]$/.test(v)),
    headers: fc.dictionary(
      keyText,
      plainText.filter((v) => !/[\\:]/.test(v)),
      { minKeys: 1, maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);

/**
 * The whole path through real files: plan and apply `set`, read the values back with `get`,
 * check a second `set` changes nothing, then `disable` restores every byte of every file.
 */
function roundTripThroughFiles(
  ws: string,
  tool: Tool,
  settings: RemoteSettings,
  mayRefuse: () => boolean,
): void {
  const opts: WorkspaceOptions = {
    workspace: ws,
    tool,
    config: null,
    env: {},
    systemRc: null,
    homeDir: null,
  };
  const before = snapshot(ws);
  let plan;
  try {
    plan = planRemoteSet(opts, settings);
  } catch (err) {
    assert.ok(err instanceof InputError && mayRefuse(), String(err));
    return;
  }
  applyPlan(plan);
  const got = readRemoteSettings(opts);
  const quiet = plan.warnings.every((w) => !/overrides/.test(w));
  if (quiet) {
    if (settings.instance !== undefined)
      assert.equal(got.single.instance?.value, settings.instance);
    if (settings.jobs !== undefined) assert.equal(got.single.jobs?.value, String(settings.jobs));
    for (const [k, v] of Object.entries(settings.headers ?? {}))
      assert.equal(got.headers[k]?.value, v);
    for (const [k, v] of Object.entries(settings.platform ?? {}))
      assert.equal(got.platform[k]?.value, v);
  }
  assert.equal(changedFiles(planRemoteSet(opts, settings)).length, 0, 'second set changed files');
  applyPlan(planRemoteDisable(opts));
  assert.deepEqual(snapshot(ws), before);
}

describe('config properties: random layouts and edits never lose bytes outside the edit', function () {
  this.timeout(120000);

  describe('.bazelrc', () => {
    const word = fc.oneof(
      text('abc=-_/.:@', 10).map((w) => `--${w || 'x'}`),
      junk.map((w) => `"${w.replace(/["\\]/g, '')}"`),
      junk.map((w) => `'${w.replace(/'/g, '')}'`),
      text('abc\\ ', 6),
    );
    const rcLine = fc.oneof(
      junk.map((c) => `#${c}`),
      space,
      fc
        .tuple(
          space,
          fc.constantFrom('build', 'common', 'test', 'startup', 'build:ci', 'build:"a b"'),
          fc.array(fc.tuple(fc.constantFrom(' ', '  ', ' \\\n  '), word), { maxLength: 4 }),
          fc.option(junk.map((c) => `  # ${c}`)),
        )
        .map(([s, cmd, ws, c]) => s + cmd + ws.map(([g, w]) => g + w).join('') + (c ?? '')),
      fc.constantFrom(
        'try-import %workspace%/user.bazelrc',
        'import .bazelrc.common',
        'not a valid line',
      ),
      junk,
    );
    const rcFile = fc.tuple(
      fc.array(rcLine, { maxLength: 14 }),
      fc.array(eol, { minLength: 1 }),
      fc.boolean(),
    );
    const flagValue = fc.string({ maxLength: 12 }).filter((v) => !/[\r\n]/.test(v));
    const flags = fc.uniqueArray(
      fc.tuple(
        fc.constantFrom('remote_executor', 'remote_cache', 'jobs', 'remote_instance_name'),
        flagValue,
      ),
      { selector: ([n]) => n, maxLength: 4 },
    );

    it('parse → print gives the same text', () => {
      fc.assert(
        fc.property(rcFile, ([lines, ends, fin]) => {
          const t = layout(lines, ends, fin);
          assert.equal(printBazelrc(parseBazelrc(t)), t);
        }),
        { numRuns: RUNS },
      );
    });

    it('set then disable restores every byte; set is idempotent; values read back', () => {
      fc.assert(
        fc.property(
          rcFile,
          flags,
          fc.constantFrom('build', 'build:remote'),
          ([lines, ends, fin], fl, directive) => {
            const t = layout(lines, ends, fin);
            const words = fl.map(([n, v]) => `--${n}=${v}`);
            let edited: string;
            try {
              edited = setMarkedFlags(t, directive, words);
            } catch (err) {
              // The one refusal: a file ending in a dangling backslash.
              assert.ok(err instanceof InputError && /\\$/.test(t));
              return;
            }
            assert.equal(removeMarkedFlags(edited, directive), t);
            assert.equal(setMarkedFlags(edited, directive, words), edited);
            const ours = parseBazelrc(edited).lines.filter((l) =>
              edited.slice(l.start, l.end).includes('# rbl:remote'),
            );
            const read = ours.map((l) => l.words.map((w) => w.value));
            for (const w of words)
              assert.ok(
                read.some((r) => r[0] === directive && r[1] === w && r.length === 2),
                w,
              );
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('through the files: set, get, set again, disable, with random settings', () => {
      fc.assert(
        fc.property(rcFile, bazelSettings, ([lines, ends, fin], settings) => {
          const ws = tempDir();
          try {
            const t = layout(lines, ends, fin);
            fs.writeFileSync(path.join(ws, '.bazelrc'), t);
            roundTripThroughFiles(ws, 'bazel', settings, () => /\\$/.test(t));
          } finally {
            fs.rmSync(ws, { recursive: true, force: true });
          }
        }),
        { numRuns: FILE_RUNS },
      );
    });
  });

  describe('pants.toml', () => {
    const scalar: fc.Arbitrary<[string, TomlValue]> = fc.oneof(
      fc.string({ maxLength: 10 }).map((s): [string, TomlValue] => [JSON.stringify(s), s]),
      text('abc -_#"', 8).map((s): [string, TomlValue] => [
        `'${s.replace(/'/g, '')}'`,
        s.replace(/'/g, ''),
      ]),
      fc.integer({ min: -999, max: 999 }).map((n): [string, TomlValue] => [String(n), n]),
      fc.boolean().map((b): [string, TomlValue] => [String(b), b]),
    );
    const value = fc.oneof(
      scalar,
      fc
        .tuple(
          fc.array(scalar, { maxLength: 4 }),
          fc.constantFrom(', ', ',\n  ', ',  # note\n    '),
          fc.boolean(),
        )
        .map(([items, sep, trailing]): [string, TomlValue] => [
          `[${items.map(([t]) => t).join(sep)}${trailing && items.length > 0 ? ',' : ''}]`,
          items.map(([, v]) => v),
        ]),
      fc
        .array(scalar, { maxLength: 3 })
        .map((items): [string, TomlValue] => [
          `{ ${items.map(([t], i) => `k${i} = ${t}`).join(', ')} }`,
          Object.fromEntries(items.map(([, v], i) => [`k${i}`, v])),
        ]),
    );
    const names = [
      'remote_store_address',
      'remote_instance_name',
      'process_execution_remote_parallelism',
      'pants_version',
    ];
    const table = fc.tuple(
      fc.constantFrom('GLOBAL', 'python', 'cli.alias', 'DEFAULT'),
      fc.array(
        fc.tuple(
          space,
          fc.constantFrom(' = ', '=', '  =  '),
          value,
          fc.option(junk.map((c) => `  # ${c.replace(/[\r\n]/g, '')}`)),
        ),
        { maxLength: 5 },
      ),
      fc.array(
        fc.oneof(
          junk.map((c) => `# ${c}`),
          space,
        ),
        { maxLength: 2 },
      ),
    );
    const tomlFile = fc.tuple(
      fc.uniqueArray(table, { selector: ([n]) => n, maxLength: 4 }),
      fc.boolean(),
      eol,
      fc.boolean(),
    );
    const render = ([tables, globalNames, e, fin]: [
      [string, [string, string, [string, TomlValue], string | null][], string[]][],
      boolean,
      string,
      boolean,
    ]): string => {
      const lines: string[] = [];
      for (const [name, entries, trailer] of tables) {
        lines.push(`[${name}]`);
        entries.forEach(([indent, eq, [t], comment], i) => {
          const key = name === 'GLOBAL' && globalNames && i < names.length ? names[i] : `key${i}`;
          lines.push(`${indent}${key}${eq}${t}${comment ?? ''}`);
        });
        lines.push(...trailer);
      }
      return layout(lines, [e], fin)
        .replace(/\n/g, e === '\r\n' ? '\r\n' : '\n')
        .replace(/\r\r\n/g, '\r\n');
    };
    const edit = fc.array(
      fc.tuple(
        fc.constantFrom(...names.slice(0, 3), 'remote_execution_extra_platform_properties'),
        scalar,
      ),
      { maxLength: 4 },
    );

    it('scan finds every entry; set keeps TOML valid, holds the value, and disable restores every byte', () => {
      fc.assert(
        fc.property(tomlFile, edit, (file, edits) => {
          const t = render(file);
          const strict = parseToml(t);
          const doc = scanToml(t);
          const expected = file[0].reduce((n, [, entries]) => n + entries.length, 0);
          assert.equal(doc.entries.length, expected);
          assert.ok(strict);
          let edited = t;
          const want = new Map<string, TomlValue>();
          for (const [name, [, v]] of edits) {
            edited = setGlobalOption(edited, 'pants.toml', name, v);
            want.set(name, v);
          }
          const parsed = parseToml(edited) as { GLOBAL?: Record<string, unknown> };
          for (const [name, v] of want) assert.deepEqual(parsed.GLOBAL?.[name], v);
          assert.equal(removeMarked(edited), t);
        }),
        { numRuns: RUNS },
      );
    });

    it('through the files: set, get, set again, disable, with random settings', () => {
      fc.assert(
        fc.property(tomlFile, pantsSettings, (file, settings) => {
          const ws = tempDir();
          try {
            fs.writeFileSync(path.join(ws, 'pants.toml'), render(file));
            roundTripThroughFiles(ws, 'pants', settings, () => false);
          } finally {
            fs.rmSync(ws, { recursive: true, force: true });
          }
        }),
        { numRuns: FILE_RUNS },
      );
    });
  });

  describe('TOML values', () => {
    it('decodes what a strict TOML writer (smol-toml) writes exactly as smol-toml reads it', () => {
      const key = fc
        .string({ minLength: 1, maxLength: 8 })
        .filter((k) => ![...k].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f'));
      const leaf = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer(),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
      const value = fc.oneof(
        leaf,
        fc.array(leaf, { maxLength: 4 }),
        fc.dictionary(key, leaf, { maxKeys: 3 }),
      );
      const doc = fc.dictionary(key, fc.dictionary(key, value, { maxKeys: 5 }), { maxKeys: 4 });
      fc.assert(
        fc.property(doc, (obj) => {
          const text = stringifyToml(obj);
          const strict = parseToml(text) as Record<string, Record<string, unknown>>;
          for (const e of scanToml(text).entries) {
            let expected: unknown = strict;
            for (const part of [...e.table, ...e.key])
              expected = (expected as Record<string, unknown>)[part];
            assert.deepEqual(e.value, expected);
          }
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe('.buckconfig', () => {
    const buckLine = fc.oneof(
      junk.map((c) => `# ${c}`),
      junk.map((c) => `; ${c}`),
      space,
      fc.constantFrom('[buck2_re_client]', '[cells]', '  [build]'),
      fc
        .tuple(
          space,
          text('abc_', 8),
          fc.constantFrom(' = ', '=', '   = '),
          text('abc:/$ ._-', 12),
          fc.boolean(),
        )
        .map(([s, k, eq, v, cont]) => `${s}${k || 'k'}${eq}${v}${cont ? ' \\\n    more' : ''}`),
    );
    const values = fc.uniqueArray(
      fc.tuple(
        fc.constantFrom('engine_address', 'cas_address', 'instance_name', 'tls'),
        text('abc:/._-', 10).map((v) => v.trim() || 'v'),
      ),
      { selector: ([k]) => k, minLength: 1, maxLength: 4 },
    );

    it('adding our block then removing it restores every byte; the block wins', () => {
      fc.assert(
        fc.property(
          fc.array(buckLine, { maxLength: 12 }),
          eol,
          fc.boolean(),
          values,
          (lines, e, fin, vals) => {
            const t = layout(lines, [e], fin);
            const edited = withBlock(t, new Map(vals));
            assert.equal(withoutBlocks(edited), t);
            assert.equal(withBlock(edited, new Map(vals)), edited);
            const entries = parseBuckconfig(edited, '.buckconfig').entries.filter(
              (x) => x.section === 'buck2_re_client',
            );
            for (const [k, v] of vals)
              assert.equal(entries.filter((x) => x.key === k).pop()?.value, v);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('through the files: set, get, set again, disable, with random settings', () => {
      fc.assert(
        fc.property(
          fc.array(buckLine, { maxLength: 12 }),
          eol,
          fc.boolean(),
          buckSettings,
          (lines, e, fin, settings) => {
            const ws = tempDir();
            try {
              fs.writeFileSync(path.join(ws, '.buckconfig'), layout(lines, [e], fin));
              roundTripThroughFiles(ws, 'buck2', settings, () => false);
            } finally {
              fs.rmSync(ws, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: FILE_RUNS },
      );
    });
  });
});
