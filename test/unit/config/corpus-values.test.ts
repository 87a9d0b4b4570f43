import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { readRemoteSettings, type WorkspaceOptions } from '../../../src/config/remote-settings';
import type { EffectiveReport } from '../../../src/config/report';
import type { Tool } from '../../../src/config/settings';
import { corpusDir, place, tempDir } from './helpers';

const NAMES: Record<Tool, [string, string]> = {
  bazel: ['bazelrc', '.bazelrc'],
  pants: ['pants', 'pants.toml'],
  buck2: ['buckconfig', '.buckconfig'],
};

function read(tool: Tool, file: string, config: string | null = null): EffectiveReport {
  const ws = tempDir();
  const [dir, name] = NAMES[tool];
  place(ws, path.join(corpusDir(), dir, file), name);
  const o: WorkspaceOptions = {
    workspace: ws,
    tool,
    config,
    env: {},
    systemRc: null,
    homeDir: null,
  };
  return readRemoteSettings(o);
}

const values = (r: EffectiveReport) =>
  Object.fromEntries(Object.entries(r.single).map(([k, v]) => [k, v.value]));

describe('config corpus: get reports what the tool would see', () => {
  it('EngFlow .bazelrc with --config opal: config chain, executor, instance, jobs from engflow_common', () => {
    const r = read('bazel', 'EngFlow__example__.bazelrc', 'opal');
    assert.equal(r.single.executor?.value, 'grpcs://opal.cluster.engflow.com');
    assert.equal(r.single.instance?.value, 'example-oss');
    assert.deepEqual(r.single.jobs, { value: '40', file: '.bazelrc', line: 8 });
    assert.equal(values(read('bazel', 'EngFlow__example__.bazelrc')).executor, undefined);
  });

  it('jax rocm.bazelrc: double-quoted mTLS and endpoint values are unquoted', () => {
    const r = values(read('bazel', 'jax-ml__jax__build__rocm__rocm.bazelrc', 'rocm_rbe'));
    assert.equal(r.tlsCert, '/data/ci-cert.crt');
    assert.equal(r.tlsKey, '/data/ci-cert.key');
    assert.equal(r.executor, 'grpcs://wardite.cluster.engflow.com');
  });

  it('rules_haskell .bazelrc.common: exec properties per config', () => {
    const r = read(
      'bazel',
      'tweag__rules_haskell__.bazelrc.common',
      'ci-windows-bindist-rules-haskell',
    );
    assert.equal(r.platform['cache-silo-key']?.value, 'windows-rules-haskell-v0');
  });

  it('pants.remote-execution.toml: new option names, empty instance name kept', () => {
    const r = values(read('pants', 'pantsbuild__pants__pants.remote-execution.toml'));
    assert.equal(r.executor, 'grpc://127.0.0.1:50051');
    assert.equal(r.cache, 'grpc://127.0.0.1:50051');
    assert.equal(r.instance, '');
    assert.equal(r.jobs, '4');
  });

  it('pants.remote.toml: old option names and the platform list', () => {
    const r = read('pants', 'pantsbuild__pants__pants.remote.toml');
    assert.equal(r.single.executor?.value, 'remotebuildexecution.googleapis.com');
    assert.equal(r.platform.dockerNetwork?.value, 'standard');
  });

  it('Buck2 buildbarn example: addresses, instance, tls = false keeps grpc://', () => {
    const r = values(
      read('buck2', 'facebook__buck2__examples__remote_execution__buildbarn__.buckconfig'),
    );
    assert.deepEqual(r, {
      executor: 'grpc://localhost:8980',
      cache: 'grpc://localhost:8980',
      instance: 'fuse',
    });
  });

  it('Buck2 buildbuddy worker example: continued http_headers, tls = true as grpcs://', () => {
    const r = read('buck2', 'facebook__buck2__examples__persistent_worker__.buckconfig.buildbuddy');
    assert.equal(r.single.executor?.value, 'grpcs://remote.buildbuddy.io');
    assert.deepEqual(Object.keys(r.headers), ['x-buildbuddy-api-key']);
  });
});
