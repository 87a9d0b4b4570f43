import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBazelrc } from '../../../src/config/bazelrc/parse';
import { applyPlan } from '../../../src/config/edit-plan';
import { reportToJson } from '../../../src/config/report';
import {
  planRemoteSet,
  readRemoteSettings,
  type WorkspaceOptions,
} from '../../../src/config/remote-settings';
import type { Tool } from '../../../src/config/settings';
import { InputError } from '../../../src/util/errors';
import { tempDir } from './helpers';

function ws(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function opts(
  workspace: string,
  tool: Tool,
  extra: Partial<WorkspaceOptions> = {},
): WorkspaceOptions {
  return { workspace, tool, config: null, env: {}, systemRc: null, homeDir: null, ...extra };
}

const words = (line: string) => parseBazelrc(line).lines[0].words.map((w) => w.value);

describe('config semantics: what each tool would really see', () => {
  describe('.bazelrc tokenizer (as Bazel’s client)', () => {
    it('handles quotes, escapes, comments and continuations', () => {
      assert.deepEqual(words('build --config="space name"'), ['build', '--config=space name']);
      assert.deepEqual(words('build --build_label=\'some "quoted" label\''), [
        'build',
        '--build_label=some "quoted" label',
      ]);
      assert.deepEqual(words('build --config=space\\ name'), ['build', '--config=space name']);
      assert.deepEqual(words('common --no@some_rules//:enable_foo  # comment'), [
        'common',
        '--no@some_rules//:enable_foo',
      ]);
      assert.deepEqual(
        words('build "--copt=-ffunction-sections" \\\n  --linkopt=-Wl,--gc-sections '),
        ['build', '--copt=-ffunction-sections', '--linkopt=-Wl,--gc-sections'],
      );
      const doc = parseBazelrc('# weird \\\n  still comment\nbuild --a\n');
      assert.equal(doc.lines.length, 2);
      assert.deepEqual(doc.lines[0].words, []);
      assert.equal(doc.lines[1].lineNumber, 3);
    });
  });

  describe('bazel precedence', () => {
    it('applies common before build whatever the file order, and later lines win', () => {
      const dir = ws({
        '.bazelrc':
          'build --remote_cache=grpc://b\ncommon --remote_cache=grpc://a\nbuild --remote_instance_name=x\nbuild --remote_instance_name y\n',
      });
      const r = readRemoteSettings(opts(dir, 'bazel'));
      assert.equal(r.single.cache?.value, 'grpc://b');
      assert.deepEqual(r.single.instance, { value: 'y', file: '.bazelrc', line: 4 });
    });

    it('expands --config in place, and --config NAME after the plain lines', () => {
      const dir = ws({
        '.bazelrc':
          'build:rbe --remote_executor=grpcs://rbe\nbuild:rbe --config=shared\ncommon:shared --remote_instance_name=shared\nbuild --remote_executor=grpc://plain\n',
      });
      assert.equal(readRemoteSettings(opts(dir, 'bazel')).single.executor?.value, 'grpc://plain');
      const r = readRemoteSettings(opts(dir, 'bazel', { config: 'rbe' }));
      assert.equal(r.single.executor?.value, 'grpcs://rbe');
      assert.equal(r.single.instance?.value, 'shared');
    });

    it('reads system, workspace and home rc files in that order, with imports in place', () => {
      const home = tempDir();
      fs.writeFileSync(path.join(home, '.bazelrc'), 'build --remote_instance_name=home\n');
      const sys = path.join(tempDir(), 'bazelrc');
      fs.writeFileSync(
        sys,
        'build --remote_cache=grpc://system\nbuild --remote_instance_name=system\n',
      );
      const dir = ws({
        '.bazelrc':
          'import %workspace%/ci/remote.bazelrc\nbuild --jobs=8\ntry-import %workspace%/missing.bazelrc\n',
        'ci/remote.bazelrc': 'build --remote_executor=grpcs://ci\nbuild --remote_cache=\n',
      });
      const r = readRemoteSettings(opts(dir, 'bazel', { systemRc: sys, homeDir: home }));
      assert.deepEqual(r.files, [
        sys,
        '.bazelrc',
        'ci/remote.bazelrc',
        path.join(home, '.bazelrc'),
      ]);
      assert.equal(r.single.executor?.file, 'ci/remote.bazelrc');
      assert.equal(r.single.cache, undefined, 'an empty --remote_cache= clears the system value');
      assert.equal(r.single.instance?.value, 'home');
      assert.deepEqual(r.warnings, []);
    });

    it('resolves a relative import from the workspace root, else from the importing file', () => {
      const dir = ws({
        '.bazelrc': 'import tools/a.bazelrc\n',
        'tools/a.bazelrc': 'import b.bazelrc\n',
        'tools/b.bazelrc': 'build --remote_cache=grpc://b\n',
      });
      const r = readRemoteSettings(opts(dir, 'bazel'));
      assert.deepEqual(r.files, ['.bazelrc', 'tools/a.bazelrc', 'tools/b.bazelrc']);
      assert.equal(r.single.cache?.value, 'grpc://b');
    });

    it('follows try-import-if-bazel-version only when the version matches', () => {
      const dir = ws({
        '.bazelrc': 'try-import-if-bazel-version >=7.0.0 %workspace%/new.bazelrc\n',
        'new.bazelrc': 'build --remote_cache=grpc://new\n',
      });
      assert.equal(
        readRemoteSettings(opts(dir, 'bazel', { bazelVersion: '4.2.3' })).single.cache,
        undefined,
      );
      assert.equal(
        readRemoteSettings(opts(dir, 'bazel', { bazelVersion: '7.1.0' })).single.cache?.value,
        'grpc://new',
      );
      // Without a version given, the one .bazelversion pins is used.
      const o = opts(dir, 'bazel');
      delete o.bazelVersion;
      assert.equal(readRemoteSettings(o).single.cache, undefined);
      fs.writeFileSync(path.join(dir, '.bazelversion'), '7.4.1\n');
      assert.equal(readRemoteSettings(o).single.cache?.value, 'grpc://new');
    });

    it('set with --config writes build:NAME lines that win when the config is used', () => {
      const dir = ws({ '.bazelrc': 'build:remote --remote_executor=grpcs://old\n' });
      applyPlan(
        planRemoteSet(opts(dir, 'bazel', { config: 'remote' }), { executor: 'grpcs://new' }),
      );
      assert.match(
        fs.readFileSync(path.join(dir, '.bazelrc'), 'utf8'),
        /^build:remote --remote_executor=grpcs:\/\/new # rbl:remote$/m,
      );
      assert.equal(
        readRemoteSettings(opts(dir, 'bazel', { config: 'remote' })).single.executor?.value,
        'grpcs://new',
      );
      assert.equal(readRemoteSettings(opts(dir, 'bazel')).single.executor, undefined);
    });

    it('writes the download mode as Bazel 4 accepts it, switching it on one marked line', () => {
      const dir = ws({ '.bazelrc': '' });
      applyPlan(planRemoteSet(opts(dir, 'bazel'), { downloadMode: 'minimal' }));
      applyPlan(planRemoteSet(opts(dir, 'bazel'), { downloadMode: 'toplevel' }));
      const text = fs.readFileSync(path.join(dir, '.bazelrc'), 'utf8');
      assert.deepEqual(
        text.split('\n').filter((l) => l.includes('download')),
        ['build --remote_download_toplevel # rbl:remote'],
      );
      assert.equal(readRemoteSettings(opts(dir, 'bazel')).single.downloadMode?.value, 'toplevel');
    });

    it('warns when a later rc file overrides a value set', () => {
      const home = tempDir();
      fs.writeFileSync(path.join(home, '.bazelrc'), 'build --remote_cache=grpc://mine\n');
      const dir = ws({ '.bazelrc': '' });
      const plan = planRemoteSet(opts(dir, 'bazel', { homeDir: home }), { cache: 'grpc://team' });
      assert.equal(plan.warnings.length, 1);
      assert.equal(
        plan.warnings[0],
        `--remote_cache is set, but ${path.join(home, '.bazelrc')}:1 overrides it`,
      );
    });
  });

  describe('pants', () => {
    it('interpolates %(buildroot)s, %(env.X)s and [DEFAULT] names', () => {
      const dir = ws({
        'pants.toml':
          '[DEFAULT]\ncerts = "%(buildroot)s/certs"\n\n[GLOBAL]\nremote_ca_certs_path = "%(certs)s/ca.pem"\nremote_instance_name = "%(env.RBE_INSTANCE)s"\n',
      });
      const r = readRemoteSettings(opts(dir, 'pants', { env: { RBE_INSTANCE: 'ci' } }));
      assert.equal(r.single.tlsCa?.value, `${dir}/certs/ca.pem`);
      assert.equal(r.single.instance?.value, 'ci');
    });

    it('reports a bearer token as the authorization header (name only)', () => {
      const dir = ws({ 'pants.toml': '[GLOBAL]\nremote_oauth_bearer_token = "%(env.TOKEN)s"\n' });
      const r = readRemoteSettings(opts(dir, 'pants', { env: { TOKEN: 'tok-123' } }));
      assert.deepEqual(Object.keys(r.headers), ['authorization']);
      assert.ok(!JSON.stringify(reportToJson(r)).includes('tok-123'));
    });

    it('reads overlays from PANTS_CONFIG_FILES and --config after pants.toml', () => {
      const dir = ws({
        'pants.toml':
          '[GLOBAL]\nremote_instance_name = "base"\nremote_store_address = "grpc://base:1"\n',
        'pants.ci.toml': '[GLOBAL]\nremote_instance_name = "ci"\n',
        'pants.rbe.toml': '[GLOBAL]\nremote_store_address = "grpcs://rbe:443"\n',
      });
      const r = readRemoteSettings(
        opts(dir, 'pants', { env: { PANTS_CONFIG_FILES: 'pants.ci.toml' }, config: 'rbe' }),
      );
      assert.deepEqual(r.files, ['pants.toml', 'pants.ci.toml', 'pants.rbe.toml']);
      assert.equal(r.single.instance?.value, 'ci');
      assert.equal(r.single.cache?.value, 'grpcs://rbe:443');
    });

    it('writes the option names of the pinned Pants version', () => {
      const old = ws({ 'pants.toml': '[GLOBAL]\npants_version = "2.1.0"\n' });
      applyPlan(planRemoteSet(opts(old, 'pants'), { executor: 'grpcs://re.example.com:443' }));
      const oldText = fs.readFileSync(path.join(old, 'pants.toml'), 'utf8');
      assert.match(oldText, /^remote_execution_server = "re\.example\.com:443" # rbl:remote$/m);
      assert.match(oldText, /^remote_store_server = \["re\.example\.com:443"\] # rbl:remote$/m);
      const fresh = ws({ 'pants.toml': '[GLOBAL]\npants_version = "2.20.0"\n' });
      applyPlan(planRemoteSet(opts(fresh, 'pants'), { executor: 'grpcs://re.example.com:443' }));
      const newText = fs.readFileSync(path.join(fresh, 'pants.toml'), 'utf8');
      assert.match(
        newText,
        /^remote_execution_address = "grpcs:\/\/re\.example\.com:443" # rbl:remote$/m,
      );
      assert.match(
        newText,
        /^remote_store_address = "grpcs:\/\/re\.example\.com:443" # rbl:remote$/m,
      );
    });

    it('warns when an overlay or PANTS_* variable still overrides a value set', () => {
      const dir = ws({
        'pants.toml': '[GLOBAL]\n',
        'pants.ci.toml': '[GLOBAL]\nremote_instance_name = "ci"\n',
      });
      const env = {
        PANTS_CONFIG_FILES: 'pants.ci.toml',
        PANTS_PROCESS_EXECUTION_REMOTE_PARALLELISM: '2',
      };
      const plan = planRemoteSet(opts(dir, 'pants', { env }), { instance: 'main', jobs: 8 });
      assert.deepEqual(plan.warnings, [
        'remote_instance_name is set in pants.toml, but pants.ci.toml:2 overrides it',
        'process_execution_remote_parallelism is set in pants.toml, but env:PANTS_PROCESS_EXECUTION_REMOTE_PARALLELISM overrides it',
      ]);
    });

    it('refuses client certificates before Pants 2.18 and download modes always', () => {
      const dir = ws({ 'pants.toml': '[GLOBAL]\npants_version = "2.10.0"\n' });
      assert.throws(
        () => planRemoteSet(opts(dir, 'pants'), { tlsCert: 'c.pem' }),
        (e: unknown) => e instanceof InputError && e.source === '--tls-cert',
      );
      assert.throws(
        () => planRemoteSet(opts(dir, 'pants'), { downloadMode: 'minimal' }),
        (e: unknown) => e instanceof InputError && e.source === '--download',
      );
    });
  });

  describe('buck2', () => {
    it('reads .buckconfig.d, .buckconfig, .buckconfig.local in order, and grpc+tls as grpcs', () => {
      const dir = ws({
        '.buckconfig.d/a.buckconfig': '[buck2_re_client]\ninstance_name = fromd\n',
        '.buckconfig':
          '[buck2_re_client]\n  engine_address = grpc://re:8980\n  tls = true\nhttp_headers = \\\n  x-key:$API_KEY, x-other:1\n',
        '.buckconfig.local': '[buck2_re_client]\ninstance_name = local\n',
      });
      const r = readRemoteSettings(opts(dir, 'buck2'));
      assert.deepEqual(r.files, ['.buckconfig.d/a.buckconfig', '.buckconfig', '.buckconfig.local']);
      assert.equal(r.single.executor?.value, 'grpcs://re:8980');
      assert.equal(r.single.instance?.value, 'local');
      assert.deepEqual(Object.keys(r.headers), ['x-key', 'x-other']);
    });

    it('warns when .buckconfig.local still overrides a value set in .buckconfig', () => {
      const dir = ws({
        '.buckconfig': '[cells]\nroot = .\n',
        '.buckconfig.local': '[buck2_re_client]\ninstance_name = mine\n',
      });
      const plan = planRemoteSet(opts(dir, 'buck2'), { instance: 'team' });
      assert.deepEqual(plan.warnings, [
        'instance_name is set, but .buckconfig.local:2 overrides it',
      ]);
    });

    it('refuses what Buck2 cannot express', () => {
      const dir = ws({ '.buckconfig': '[cells]\nroot = .\n' });
      for (const s of [{ platform: { a: 'b' } }, { jobs: 4 }, { tlsKey: 'k.pem' }]) {
        assert.throws(() => planRemoteSet(opts(dir, 'buck2'), s), InputError);
      }
      assert.throws(() => planRemoteSet(opts(dir, 'buck2'), { executor: 'https://re' }), /grpc/);
    });
  });
});
