/**
 * Seeded generator of a compact execution log (`--execution_log_compact_file`, Bazel 8.x
 * layout) for the execlog benchmark: varint-delimited `ExecLogEntry`s encoded with our own
 * schema, compressed by Debian's `zstd` binary (Node 20 has no zstd encoder) into a real
 * multi-block zstd frame like the one Bazel writes. Packages of C++-like compiles and links with
 * shared toolchain and header sets, a mix of runners (sandbox, remote cache hits, remote,
 * workers), outputs with digests and spawn metrics.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tools } from '../src/gen/protos';
import { SeededRandom } from './rng';

const Entry = tools.protos.ExecLogEntry;

export interface GeneratedCompactLog {
  file: string;
  spawns: number;
  entries: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

const RUNNERS: readonly { runner: string; cacheHit: boolean; weight: number }[] = [
  { runner: 'linux-sandbox', cacheHit: false, weight: 0.35 },
  { runner: 'remote cache hit', cacheHit: true, weight: 0.4 },
  { runner: 'remote', cacheHit: false, weight: 0.15 },
  { runner: 'worker', cacheHit: false, weight: 0.1 },
];

/** Whether the `zstd` program can be run; the generator needs it. */
export function requireZstd(): void {
  const probe = spawnSync('zstd', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(
      "the execlog benchmark needs Debian's zstd program (apt-get install zstd; scripts/setup.sh installs it)",
    );
}

function runnerOf(random: SeededRandom): { runner: string; cacheHit: boolean } {
  let r = random.next();
  for (const choice of RUNNERS) {
    r -= choice.weight;
    if (r < 0) return choice;
  }
  return RUNNERS[0] as { runner: string; cacheHit: boolean };
}

/**
 * A zstd frame of raw (stored) blocks around `data`: valid for every zstd decoder, compresses
 * nothing. Only for the smoke test, which runs without external programs.
 */
export function storedZstdFrame(data: Uint8Array): Buffer {
  const BLOCK = 128 * 1024;
  // Magic, then a frame header: no content size, no checksum, window 2^17 = 128 KiB.
  const parts: Uint8Array[] = [Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])];
  let offset = 0;
  do {
    const size = Math.min(BLOCK, data.length - offset);
    const last = offset + size >= data.length ? 1 : 0;
    const header = last | (size << 3); // block type 0: raw
    parts.push(Uint8Array.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]));
    parts.push(data.subarray(offset, offset + size));
    offset += size;
  } while (offset < data.length);
  return Buffer.concat(parts);
}

export type Compression = 'zstd' | 'stored';

/** Writes `spawns` spawns to `file`, compressed by `zstd -3` (as Bazel does) or stored. */
export function generateCompactLog(
  file: string,
  spawns: number,
  seed = 7,
  compression: Compression = 'zstd',
): GeneratedCompactLog {
  if (compression === 'zstd') requireZstd();
  const random = new SeededRandom(seed);
  const raw = `${file}.raw`;
  const fd = fs.openSync(raw, 'w');
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let uncompressedBytes = 0;
  let entries = 0;
  let nextId = 1;
  const add = (entry: tools.protos.IExecLogEntry, withId = true): number => {
    const id = withId ? nextId++ : 0;
    const bytes = Entry.encodeDelimited({ ...entry, id }).finish();
    pending.push(bytes);
    pendingBytes += bytes.length;
    entries++;
    if (pendingBytes >= 1 << 20) flush();
    return id;
  };
  const flush = (): void => {
    fs.writeSync(fd, Buffer.concat(pending, pendingBytes));
    uncompressedBytes += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  const digest = (size: number) => ({ hash: random.hex(64), sizeBytes: size });
  const file_ = (path: string, size: number) => add({ file: { path, digest: digest(size) } });

  add(
    {
      invocation: {
        hashFunctionName: 'SHA-256',
        workspaceRunfilesDirectory: '_main',
        id: '00000000-0000-4000-8000-0000000000cc',
      },
    },
    false,
  );
  const toolchain = ['gcc', 'ld', 'ar', 'as', 'cc1plus'].map((t) =>
    file_(`external/toolchain/bin/${t}`, 2_000_000),
  );
  const toolSet = add({ inputSet: { inputIds: toolchain } });
  const stdHeaders = Array.from({ length: 40 }, (_, i) =>
    file_(`external/toolchain/include/std${i}.h`, 20_000),
  );
  const stdSet = add({ inputSet: { inputIds: stdHeaders } });
  const env = [
    { name: 'LANG', value: 'C.UTF-8' },
    { name: 'PATH', value: '/usr/bin:/bin' },
    { name: 'PWD', value: '/proc/self/cwd' },
  ];
  let written = 0;
  for (let pkg = 0; written < spawns; pkg++) {
    const dir = `src/lib${pkg}`;
    const bin = `bazel-out/k8-fastbuild/bin/${dir}`;
    const label = `//${dir}:lib${pkg}`;
    const headers = Array.from({ length: random.int(2, 6) }, (_, i) =>
      file_(`${dir}/h${i}.h`, random.int(100, 9000)),
    );
    const pkgSet = add({ inputSet: { inputIds: headers, transitiveSetIds: [stdSet] } });
    const objects: number[] = [];
    const compiles = Math.min(random.int(5, 40), spawns - written - 1);
    for (let i = 0; i < compiles; i++) {
      const src = file_(`${dir}/src${i}.cc`, random.int(500, 50_000));
      const obj = file_(`${bin}/_objs/lib${pkg}/src${i}.o`, random.int(1000, 200_000));
      const dep = file_(`${bin}/_objs/lib${pkg}/src${i}.d`, random.int(100, 3000));
      objects.push(obj);
      const { runner, cacheHit } = runnerOf(random);
      add(
        {
          spawn: {
            args: [
              'external/toolchain/bin/gcc',
              '-U_FORTIFY_SOURCE',
              '-fstack-protector',
              '-Wall',
              '-fno-omit-frame-pointer',
              '-std=c++17',
              '-MD',
              '-MF',
              `${bin}/_objs/lib${pkg}/src${i}.d`,
              '-iquote',
              '.',
              '-iquote',
              'bazel-out/k8-fastbuild/bin',
              '-c',
              `${dir}/src${i}.cc`,
              '-o',
              `${bin}/_objs/lib${pkg}/src${i}.o`,
            ],
            envVars: env,
            inputSetId: add({ inputSet: { inputIds: [src], transitiveSetIds: [pkgSet] } }),
            toolSetId: toolSet,
            outputs: [{ outputId: dep }, { outputId: obj }],
            targetLabel: label,
            mnemonic: 'CppCompile',
            runner,
            cacheHit,
            remotable: true,
            cacheable: true,
            remoteCacheable: true,
            digest: { ...digest(random.int(140, 200)), hashFunctionName: '' },
            metrics: {
              totalTime: { seconds: random.int(0, 20), nanos: random.int(0, 999_999_999) },
            },
          },
        },
        false,
      );
      written++;
    }
    const archive = file_(`${bin}/liblib${pkg}.a`, random.int(10_000, 2_000_000));
    const { runner, cacheHit } = runnerOf(random);
    add(
      {
        spawn: {
          args: [
            'external/toolchain/bin/ar',
            'rcsD',
            `${bin}/liblib${pkg}.a`,
            `@${bin}/liblib${pkg}.a-2.params`,
          ],
          envVars: env,
          inputSetId: add({ inputSet: { inputIds: objects } }),
          toolSetId: toolSet,
          outputs: [{ outputId: archive }],
          targetLabel: label,
          mnemonic: 'CppArchive',
          runner,
          cacheHit,
          remotable: true,
          cacheable: true,
          remoteCacheable: true,
          digest: { ...digest(random.int(140, 200)), hashFunctionName: '' },
          metrics: { totalTime: { seconds: 0, nanos: random.int(0, 999_999_999) } },
        },
      },
      false,
    );
    written++;
  }
  flush();
  fs.closeSync(fd);
  if (compression === 'stored') {
    fs.writeFileSync(file, storedZstdFrame(fs.readFileSync(raw)));
  } else {
    const zstd = spawnSync('zstd', ['-q', '-f', '-3', raw, '-o', file], { encoding: 'utf8' });
    if (zstd.status !== 0) {
      fs.rmSync(raw, { force: true });
      throw new Error(`zstd failed: ${zstd.stderr || zstd.error?.message}`);
    }
  }
  fs.rmSync(raw, { force: true });
  return {
    file,
    spawns: written,
    entries,
    compressedBytes: fs.statSync(file).size,
    uncompressedBytes,
  };
}
