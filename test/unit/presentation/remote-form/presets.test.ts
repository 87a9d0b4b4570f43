import { strict as assert } from 'node:assert';
import { checkEndpoint, checkSupported, TOOLS } from '../../../../src/config';
import {
  applyPreset,
  emptyValues,
  PRESETS,
  settingsFromForm,
} from '../../../../src/presentation/remote-form';

describe('remote form: presets', () => {
  it('set only settings each tool can express, with valid endpoint URLs', () => {
    for (const tool of TOOLS) {
      for (const preset of PRESETS) {
        const values = applyPreset(emptyValues(), preset.id, tool);
        const settings = settingsFromForm(values, tool);
        assert.doesNotThrow(() => checkSupported(tool, settings), `${preset.id} for ${tool}`);
        for (const url of [settings.executor, settings.cache, settings.besBackend])
          if (url !== undefined) assert.doesNotThrow(() => checkEndpoint('--x', url), url);
      }
    }
  });

  it('carry each provider’s conventions', () => {
    const bazel = (id: (typeof PRESETS)[number]['id']) => applyPreset(emptyValues(), id, 'bazel');
    assert.equal(bazel('bazel-remote').cache, 'grpc://localhost:9092');
    assert.equal(bazel('bazel-remote').executor, '', 'bazel-remote is a cache only');
    assert.equal(bazel('buildbarn').instance, 'fuse');
    assert.equal(bazel('buildbuddy').headerName, 'x-buildbuddy-api-key');
    assert.equal(bazel('buildbuddy').besBackend, 'grpcs://remote.buildbuddy.io');
    assert.match(bazel('engflow').executor, /^grpcs:\/\/CLUSTER\.cluster\.engflow\.com$/);
    assert.equal(bazel('nativelink').instance, 'main');
    // Pants has no BES backend: BuildBuddy's preset leaves it out there.
    assert.equal(applyPreset(emptyValues(), 'buildbuddy', 'pants').besBackend, '');
  });

  it('reset the fields they own, keep TLS files, jobs and the secret; custom keeps all', () => {
    const typed = {
      ...emptyValues(),
      executor: 'grpc://old:1',
      platform: 'a=b',
      tlsCa: '/ca.pem',
      jobs: '8',
      headerValue: 'typed-secret',
    };
    const bb = applyPreset(typed, 'bazel-remote', 'bazel');
    assert.equal(bb.executor, '');
    assert.equal(bb.platform, '');
    assert.equal(bb.tlsCa, '/ca.pem');
    assert.equal(bb.jobs, '8');
    assert.equal(bb.headerValue, 'typed-secret');
    assert.deepEqual(applyPreset(typed, 'custom', 'bazel'), typed);
  });
});
