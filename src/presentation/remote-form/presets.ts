import type { Tool } from '../../config';
import { fieldsFor, type FieldName, type FormValues } from './fields';

export type PresetId =
  'bazel-remote' | 'buildbarn' | 'buildbuddy' | 'engflow' | 'nativelink' | 'custom';

export interface Preset {
  id: PresetId;
  label: string;
  /** One line under the picker: what the user still has to fill in. */
  note: string;
  values: Partial<FormValues>;
}

/** The fields a preset owns: choosing one resets these (TLS files, jobs and downloads stay). */
const PRESET_FIELDS: readonly FieldName[] = [
  'executor',
  'cache',
  'instance',
  'headerName',
  'platform',
  'besBackend',
];

/**
 * Provider conventions, written down from each project's own documentation (nothing is fetched):
 *
 * - bazel-remote (github.com/buchgr/bazel-remote, README "Usage"): a cache only, gRPC on port
 *   9092 by default (`--remote_cache=grpc://host:9092`), no instance name, basic auth through
 *   URL user-info (htpasswd), so no header.
 * - Buildbarn (github.com/buildbarn/bb-deployments, README): the frontend serves execution and
 *   cache on port 8980 (`--remote_executor=grpc://localhost:8980`), instance name `fuse`, and
 *   workers are picked by the platform property `OSFamily=linux`.
 * - BuildBuddy (buildbuddy.io/docs/rbe-setup, guide-auth): one TLS endpoint
 *   `grpcs://remote.buildbuddy.io` for execution, cache and BES, the API key in the
 *   `x-buildbuddy-api-key` header.
 * - EngFlow (docs.engflow.com, "Bazel client configuration"): `grpcs://CLUSTER.cluster.engflow.com`
 *   on 443 for execution, cache and BES; authentication by the client certificate and key the
 *   cluster's UI issues (mTLS), so no header.
 * - NativeLink (github.com/TraceMachina/nativelink, nativelink-config/examples/basic_cas.json5
 *   and the cloud docs): CAS, action cache and execution on port 50051 with instance `main`;
 *   NativeLink Cloud wants its key in `x-nativelink-api-key` (leave it empty when self-hosted).
 * - custom: changes nothing.
 */
export const PRESETS: readonly Preset[] = [
  {
    id: 'bazel-remote',
    label: 'bazel-remote (self-hosted cache)',
    note: 'A cache only: replace localhost with your server; user:password@ in the URL for basic auth.',
    values: { executor: '', cache: 'grpc://localhost:9092', instance: '' },
  },
  {
    id: 'buildbarn',
    label: 'Buildbarn',
    note: 'Replace localhost with your frontend; the instance name is the one your scheduler serves.',
    values: {
      executor: 'grpc://localhost:8980',
      cache: 'grpc://localhost:8980',
      instance: 'fuse',
      platform: 'OSFamily=linux',
    },
  },
  {
    id: 'buildbuddy',
    label: 'BuildBuddy',
    note: 'Paste your API key as the header value; it is stored as a secret.',
    values: {
      executor: 'grpcs://remote.buildbuddy.io',
      cache: 'grpcs://remote.buildbuddy.io',
      headerName: 'x-buildbuddy-api-key',
      besBackend: 'grpcs://remote.buildbuddy.io',
    },
  },
  {
    id: 'engflow',
    label: 'EngFlow',
    note: 'Replace CLUSTER with your cluster name; pick the client certificate and key from its UI.',
    values: {
      executor: 'grpcs://CLUSTER.cluster.engflow.com',
      cache: 'grpcs://CLUSTER.cluster.engflow.com',
      besBackend: 'grpcs://CLUSTER.cluster.engflow.com',
    },
  },
  {
    id: 'nativelink',
    label: 'NativeLink',
    note: 'Replace 127.0.0.1 with your scheduler; the API key header is for NativeLink Cloud only.',
    values: {
      executor: 'grpc://127.0.0.1:50051',
      cache: 'grpc://127.0.0.1:50051',
      instance: 'main',
      headerName: 'x-nativelink-api-key',
    },
  },
  { id: 'custom', label: 'Custom', note: 'Fill in the fields yourself.', values: {} },
];

export function isPresetId(value: unknown): value is PresetId {
  return PRESETS.some((p) => p.id === value);
}

/**
 * The values after choosing a preset: the preset's fields reset (to its value or empty), only
 * those the tool can express; everything else, and the secret, as it was. Custom keeps all.
 */
export function applyPreset(values: FormValues, id: PresetId, tool: Tool): FormValues {
  const preset = PRESETS.find((p) => p.id === id);
  if (preset === undefined || id === 'custom') return { ...values };
  const supported = new Set(fieldsFor(tool));
  const out = { ...values };
  for (const field of PRESET_FIELDS) {
    if (supported.has(field)) out[field] = preset.values[field] ?? '';
  }
  return out;
}
