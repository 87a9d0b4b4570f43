import type { tools } from '../gen/protos';
import { InputError } from '../util/errors';
import { int64ToNumber } from '../util/int64';
import type { Spawn, SpawnDigest, SpawnFile } from './types';

type Message = tools.protos.SpawnExec.$Properties;
type DurationLike = { seconds?: number | null; nanos?: number | null } | null | undefined;

/** Milliseconds of a protobuf Duration message, or null when absent. */
export function durationMessageMs(d: DurationLike): number | null {
  if (!d) return null;
  return int64ToNumber(d.seconds) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}

function digestOf(d: tools.protos.Digest.$Properties | null | undefined): SpawnDigest | null {
  if (!d || !d.hash) return null;
  return { hash: d.hash, sizeBytes: int64ToNumber(d.sizeBytes) };
}

function fileOf(f: tools.protos.File.$Properties): SpawnFile {
  return {
    path: f.path ?? '',
    digest: digestOf(f.digest),
    isTool: f.isTool ?? false,
    symlinkTarget: f.symlinkTargetPath ? f.symlinkTargetPath : null,
  };
}

/**
 * A binary `SpawnExec` (any Bazel version) as a Spawn. Wall time comes from `metrics.total_time`
 * (the whole spawn, cache lookup and upload included), falling back to the execution wall time.
 */
export function spawnFromMessage(m: Message, index: number): Spawn {
  const metrics = m.metrics;
  return {
    index,
    mnemonic: m.mnemonic ?? '',
    label: m.targetLabel ? m.targetLabel : null,
    progressMessage: m.progressMessage ? m.progressMessage : null,
    args: m.commandArgs ?? [],
    env: (m.environmentVariables ?? []).map((v) => ({ name: v.name ?? '', value: v.value ?? '' })),
    platform: (m.platform?.properties ?? []).map((p) => ({
      name: p.name ?? '',
      value: p.value ?? '',
    })),
    inputs: (m.inputs ?? []).map(fileOf),
    listedOutputs: m.listedOutputs ?? [],
    actualOutputs: (m.actualOutputs ?? []).map(fileOf),
    runner: m.runner ?? '',
    cacheHit: m.cacheHit ?? false,
    status: m.status ?? '',
    exitCode: m.exitCode ?? 0,
    remotable: m.remotable ?? false,
    cacheable: m.cacheable ?? false,
    remoteCacheable: m.remoteCacheable ?? false,
    timeoutMillis: int64ToNumber(m.timeoutMillis),
    digest: digestOf(m.digest),
    wallTimeMs: metrics
      ? (durationMessageMs(metrics.totalTime) ?? durationMessageMs(metrics.executionWallTime))
      : null,
  };
}

/** Reads the fields of one JSON object, failing with the value's offset on a wrong type. */
class JsonFields {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly what: string,
    private readonly source: string | undefined,
    private readonly offset: number,
  ) {}

  private fail(key: string, expected: string): never {
    throw new InputError(`${this.what}: "${key}" should be ${expected}`, this.source, this.offset);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  string(key: string): string {
    const v = this.obj[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  /** int32 are numbers and int64 strings in proto3 JSON; both are accepted. */
  number(key: string): number {
    const v = this.obj[key];
    if (v === undefined || v === null) return 0;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(key, 'a number');
    return n;
  }

  array(key: string): unknown[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, 'an array');
    return v;
  }

  strings(key: string): string[] {
    const list = this.array(key);
    if (!list.every((s): s is string => typeof s === 'string'))
      this.fail(key, 'an array of strings');
    return list;
  }

  object(key: string): JsonFields | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'an object');
    return new JsonFields(
      v as Record<string, unknown>,
      `${this.what}.${key}`,
      this.source,
      this.offset,
    );
  }

  objects(key: string): JsonFields[] {
    return this.array(key).map((v, i) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        this.fail(`${key}[${i}]`, 'an object');
      return new JsonFields(
        v as Record<string, unknown>,
        `${this.what}.${key}[${i}]`,
        this.source,
        this.offset,
      );
    });
  }
}

function jsonDigest(d: JsonFields | null): SpawnDigest | null {
  if (!d || !d.string('hash')) return null;
  return { hash: d.string('hash'), sizeBytes: d.number('sizeBytes') };
}

function jsonFile(f: JsonFields): SpawnFile {
  const target = f.string('symlinkTargetPath');
  return {
    path: f.string('path'),
    digest: jsonDigest(f.object('digest')),
    isTool: f.bool('isTool'),
    symlinkTarget: target ? target : null,
  };
}

/** `"1.5s"` (proto3 JSON Duration) in ms, or null. */
function jsonDurationMs(d: unknown): number | null {
  if (typeof d !== 'string') return null;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(d);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

/**
 * A JSON `SpawnExec` as a Spawn: Bazel 4.x (`remoteCacheHit`, `progressMessage`) and newer
 * (`cacheHit`, `targetLabel`, `digest`, `metrics`). `offset` locates errors.
 */
export function spawnFromJson(
  value: unknown,
  index: number,
  source: string | undefined,
  offset: number,
): Spawn {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('expected a SpawnExec JSON object', source, offset);
  }
  const f = new JsonFields(value as Record<string, unknown>, 'SpawnExec', source, offset);
  const label = f.string('targetLabel');
  const progress = f.string('progressMessage');
  const metrics = f.object('metrics');
  const raw = value as Record<string, unknown>;
  const metricsRaw = (metrics ? raw.metrics : undefined) as Record<string, unknown> | undefined;
  return {
    index,
    mnemonic: f.string('mnemonic'),
    label: label ? label : null,
    progressMessage: progress ? progress : null,
    args: f.strings('commandArgs'),
    env: f
      .objects('environmentVariables')
      .map((v) => ({ name: v.string('name'), value: v.string('value') })),
    platform: (f.object('platform')?.objects('properties') ?? []).map((p) => ({
      name: p.string('name'),
      value: p.string('value'),
    })),
    inputs: f.objects('inputs').map(jsonFile),
    listedOutputs: f.strings('listedOutputs'),
    actualOutputs: f.objects('actualOutputs').map(jsonFile),
    runner: f.string('runner'),
    // Same field number 13: `remote_cache_hit` in Bazel 4.x, `cache_hit` later.
    cacheHit: f.has('cacheHit') ? f.bool('cacheHit') : f.bool('remoteCacheHit'),
    status: f.string('status'),
    exitCode: f.number('exitCode'),
    remotable: f.bool('remotable'),
    cacheable: f.bool('cacheable'),
    remoteCacheable: f.bool('remoteCacheable'),
    timeoutMillis: f.number('timeoutMillis'),
    digest: jsonDigest(f.object('digest')),
    wallTimeMs: metricsRaw
      ? (jsonDurationMs(metricsRaw.totalTime) ?? jsonDurationMs(metricsRaw.executionWallTime))
      : null,
  };
}
