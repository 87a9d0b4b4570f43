import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseBazelrc, printBazelrc } from '../../../src/config/bazelrc/parse';
import { parseBuckconfig } from '../../../src/config/buck/parse';
import { applyPlan, changedFiles } from '../../../src/config/edit-plan';
import { joinLines } from '../../../src/config/lines';
import { scanToml } from '../../../src/config/pants/toml-scan';
import {
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  type WorkspaceOptions,
} from '../../../src/config/remote-settings';
import type { RemoteSettings, Tool } from '../../../src/config/settings';
import { decodeText, encodeText } from '../../../src/config/text-file';
import { diffLines } from '../../../src/config/unified-diff';
import { corpusDir, corpusFiles, place, snapshot, tempDir } from './helpers';

const SECRET = 'rbl-test-secret-4711';

function options(workspace: string, tool: Tool, config: string | null = null): WorkspaceOptions {
  return { workspace, tool, config, env: {}, systemRc: null, homeDir: null };
}

/** Bytes → parse → print → bytes, for each format's own printer. */
function roundTrips(file: string, kind: 'bazelrc' | 'pants' | 'buckconfig'): void {
  const bytes = fs.readFileSync(file);
  const decoded = decodeText(bytes);
  let printed: string;
  if (kind === 'bazelrc') printed = printBazelrc(parseBazelrc(decoded.text));
  else if (kind === 'pants') {
    // Every entry's and table's range, laid back over the text, covers only what it says.
    const doc = scanToml(decoded.text);
    for (const e of doc.entries) {
      assert.ok(decoded.text.slice(e.lineStart, e.lineEnd).includes(e.key[e.key.length - 1]));
    }
    printed = decoded.text;
  } else printed = joinLines(parseBuckconfig(decoded.text, file).lines);
  assert.ok(
    encodeText(decoded, printed).equals(bytes),
    `${path.basename(file)} did not round-trip`,
  );
}

/**
 * The common check of `set` on one corpus file: only remote-setting lines change, a second
 * `set` changes nothing, `get` returns what was set, `disable` restores every byte.
 */
function setGetDisable(
  ws: string,
  tool: Tool,
  mainFile: string,
  settings: RemoteSettings,
  isRemoteLine: (line: string) => boolean,
  config: string | null = null,
): string {
  const opts = options(ws, tool, config);
  const before = snapshot(ws);
  const original = fs.readFileSync(path.join(ws, mainFile), 'utf8');
  applyPlan(planRemoteSet(opts, settings));
  const edited = fs.readFileSync(path.join(ws, mainFile), 'utf8');
  // Compare line texts: a last line that gains a terminator (because lines were added after
  // it) is not a change of its own; the byte-exact restore below checks the ending.
  const withEol = (t: string) => (t === '' || t.endsWith('\n') ? t : `${t}\n`);
  const diff = diffLines(withEol(original), withEol(edited));
  const added = diff
    .filter((l) => l.op === '+')
    .map((l) => l.text.replace(/\n\\ No newline.*$/, ''));
  const removed = diff
    .filter((l) => l.op === '-')
    .map((l) => l.text.replace(/\n\\ No newline.*$/, ''));
  for (const l of added) assert.ok(isRemoteLine(l), `added line is not a remote setting: ${l}`);
  for (const l of removed) {
    // A replaced entry of the user's survives verbatim in the marker of the line replacing it.
    assert.ok(
      added.some(
        (a) =>
          a.includes('rbl:remote was:') &&
          (JSON.parse(a.slice(a.indexOf('was: ') + 5)) as string).includes(l),
      ),
      `removed line is not kept by a replacing line: ${l}`,
    );
  }
  if (settings.headers) {
    assert.ok(!edited.includes(SECRET), `a header value reached ${mainFile}`);
    assert.ok(
      [...snapshot(ws).values()].some((b) => b.toString().includes(SECRET)),
      'the header value was written nowhere',
    );
  }
  assert.equal(changedFiles(planRemoteSet(opts, settings)).length, 0, 'second set is not a no-op');
  const got = readRemoteSettings(opts);
  if (settings.instance !== undefined) assert.equal(got.single.instance?.value, settings.instance);
  if (settings.tlsCa !== undefined) assert.equal(got.single.tlsCa?.value, settings.tlsCa);
  for (const [k, v] of Object.entries(settings.headers ?? {}))
    assert.equal(got.headers[k]?.value, v);
  for (const [k, v] of Object.entries(settings.platform ?? {}))
    assert.equal(got.platform[k]?.value, v);
  applyPlan(planRemoteDisable(opts));
  assert.deepEqual(snapshot(ws), before, 'disable did not restore the workspace byte for byte');
  return edited;
}

describe('config corpus: every real file', function () {
  this.timeout(120000);

  it('finds the shared corpus (fails loudly when ../shared/corpus is missing)', () => {
    assert.ok(fs.existsSync(path.join(corpusDir(), 'SOURCES.tsv')));
    assert.ok(corpusFiles('bazelrc').length >= 30);
  });

  describe('.bazelrc', () => {
    const settings: RemoteSettings = {
      executor: 'grpcs://re.example.com:443',
      cache: 'grpcs://cache.example.com:443',
      instance: 'main/ci',
      tlsCa: 'certs/ca.pem',
      tlsCert: 'certs/client.pem',
      tlsKey: 'certs/client.key',
      headers: { 'x-api-key': SECRET },
      platform: { OSFamily: 'Linux', 'container-image': 'docker://img@sha256:abc' },
      jobs: 64,
      downloadMode: 'minimal',
      besBackend: 'grpcs://bes.example.com',
    };
    for (const file of corpusFiles('bazelrc')) {
      it(`${path.basename(file)}: round-trips, reads, sets, is idempotent, disables exactly`, () => {
        roundTrips(file, 'bazelrc');
        const ws = tempDir();
        place(ws, file, '.bazelrc');
        readRemoteSettings(options(ws, 'bazel'));
        setGetDisable(ws, 'bazel', '.bazelrc', settings, (l) =>
          /^(build --(remote_\w+|tls_\w+|jobs|bes_backend)=\S+|build --remote_download_(minimal|toplevel)|try-import %workspace%\/user\.bazelrc) # rbl:remote$/.test(
            l,
          ),
        );
        const got = (() => {
          applyPlan(planRemoteSet(options(ws, 'bazel'), settings));
          return readRemoteSettings(options(ws, 'bazel'));
        })();
        assert.equal(got.single.executor?.value, settings.executor);
        assert.equal(got.single.cache?.value, settings.cache);
        assert.equal(got.single.jobs?.value, '64');
        assert.equal(got.single.downloadMode?.value, 'minimal');
        assert.equal(got.single.besBackend?.value, settings.besBackend);
        applyPlan(planRemoteDisable(options(ws, 'bazel')));
        // The same under --config remote, a name many of these files already define.
        setGetDisable(
          ws,
          'bazel',
          '.bazelrc',
          settings,
          (l) =>
            /^(build:remote --(remote_\w+|tls_\w+|jobs|bes_backend)=\S+|build:remote --remote_download_(minimal|toplevel)|try-import %workspace%\/user\.bazelrc) # rbl:remote$/.test(
              l,
            ),
          'remote',
        );
        applyPlan(planRemoteSet(options(ws, 'bazel', 'remote'), settings));
        const viaConfig = readRemoteSettings(options(ws, 'bazel', 'remote'));
        assert.equal(viaConfig.single.executor?.value, settings.executor);
        assert.equal(viaConfig.single.cache?.value, settings.cache);
        fs.rmSync(ws, { recursive: true, force: true });
      });
    }

    it('follows imports as laid out in their repositories', () => {
      const rows = fs
        .readFileSync(path.join(corpusDir(), 'SOURCES.tsv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((r) => r.split('\t'))
        .filter((r) => r.length > 3 && r[0].startsWith('bazelrc/'));
      const repos = new Set(rows.filter((r) => r[2] === '.bazelrc').map((r) => r[1]));
      let checked = 0;
      for (const repo of repos) {
        const ws = tempDir();
        for (const r of rows.filter((x) => x[1] === repo))
          place(ws, path.join(corpusDir(), r[0]), r[2]);
        const report = readRemoteSettings(options(ws, 'bazel'));
        const root = parseBazelrc(fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'));
        for (const l of root.lines) {
          const w = l.words.map((x) => x.value);
          if ((w[0] === 'import' || w[0] === 'try-import') && w.length === 2) {
            const rel = w[1].replace(/^%workspace%\//, '');
            if (fs.existsSync(path.join(ws, rel))) {
              assert.ok(
                report.files.includes(rel),
                `${repo}: ${rel} not read (${report.files.join(', ')})`,
              );
              checked++;
            }
          }
        }
        fs.rmSync(ws, { recursive: true, force: true });
      }
      assert.ok(checked >= 3, `only ${checked} imports checked`);
    });
  });

  describe('pants.toml', () => {
    const settings: RemoteSettings = {
      executor: 'grpcs://re.example.com:443',
      cache: 'grpcs://cache.example.com:443',
      instance: 'main',
      tlsCa: '/etc/ssl/certs/ca.pem',
      headers: { authorization: `Bearer ${SECRET}` },
      platform: { OSFamily: 'linux' },
      jobs: 16,
    };
    const remoteKeys =
      /^(\[GLOBAL\]|remote_\w+|process_execution_remote_parallelism)\b.*# rbl:remote( was: ".*")?$/;
    for (const file of corpusFiles('pants')) {
      it(`${path.basename(file)}: round-trips, reads, sets, is idempotent, disables exactly`, () => {
        roundTrips(file, 'pants');
        const ws = tempDir();
        place(ws, file, 'pants.toml');
        readRemoteSettings(options(ws, 'pants'));
        const text = fs.readFileSync(file, 'utf8');
        const old = /remote_(store|execution)_server/.test(text);
        const edited = setGetDisable(ws, 'pants', 'pants.toml', settings, (l) =>
          remoteKeys.test(l),
        );
        const parsed = parseToml(edited) as { GLOBAL: Record<string, unknown> };
        if (old) {
          assert.equal(parsed.GLOBAL.remote_execution_server, 're.example.com:443');
          assert.deepEqual(parsed.GLOBAL.remote_store_server, ['cache.example.com:443']);
        } else {
          assert.equal(parsed.GLOBAL.remote_execution_address, settings.executor);
          assert.equal(parsed.GLOBAL.remote_store_address, settings.cache);
        }
        assert.equal(parsed.GLOBAL.remote_execution, true);
        assert.equal(parsed.GLOBAL.remote_instance_name, 'main');
        assert.equal(parsed.GLOBAL.process_execution_remote_parallelism, 16);
        assert.ok(!edited.includes(SECRET), 'a header value reached pants.toml');
        fs.rmSync(ws, { recursive: true, force: true });
      });
    }
  });

  describe('.buckconfig', () => {
    const settings: RemoteSettings = {
      executor: 'grpcs://re.example.com:443',
      cache: 'grpcs://re.example.com:443',
      instance: 'main',
      tlsCa: 'certs/ca.pem',
      tlsCert: 'certs/client.pem',
      headers: { 'x-api-key': SECRET },
    };
    const blockLine =
      /^(# rbl:remote (begin|end).*|\[buck2_re_client\]|(engine_address|action_cache_address|cas_address|tls|instance_name|tls_ca_certs|tls_client_cert) = \S+)$/;
    for (const file of corpusFiles('buckconfig')) {
      it(`${path.basename(file)}: round-trips, reads, sets, is idempotent, disables exactly`, () => {
        roundTrips(file, 'buckconfig');
        const ws = tempDir();
        place(ws, file, '.buckconfig');
        readRemoteSettings(options(ws, 'buck2'));
        setGetDisable(ws, 'buck2', '.buckconfig', settings, (l) => blockLine.test(l));
        applyPlan(planRemoteSet(options(ws, 'buck2'), settings));
        const got = readRemoteSettings(options(ws, 'buck2'));
        assert.equal(got.single.executor?.value, settings.executor);
        assert.equal(got.single.cache?.value, settings.cache);
        fs.rmSync(ws, { recursive: true, force: true });
      });
    }
  });
});
