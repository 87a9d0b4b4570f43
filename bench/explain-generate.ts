import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tools } from '../src/gen/protos';
import { CompactLogWriter } from './explain-compact-writer';

/**
 * Writes a pair of binary execution logs (`--execution_log_binary_file` format) of a generated
 * C++-like build: `packages` packages of `compilesPerPackage` compiles and one archive each. The
 * new log differs by one header's content, included by the first `affectedPackages` packages, so
 * exactly affectedPackages * (compilesPerPackage + 1) actions change. Outputs' digests derive
 * from everything the action reads, as in a hermetic build.
 */
export interface GeneratedPair {
  oldLog: string;
  newLog: string;
  actions: number;
  expectedChanged: number;
  bytes: number;
}

export interface PairShape {
  packages: number;
  compilesPerPackage: number;
  affectedPackages: number;
  /** Compact (`--execution_log_compact_file`) or binary `SpawnExec` logs. */
  format: 'compact' | 'binary';
}

const SHARED_HEADERS = ['std/vector.h', 'std/string.h', 'std/memory.h'];
const CHANGED_HEADER = 'common/config.h';

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function writeLog(file: string, shape: PairShape, configHeader: string): number {
  const digests = new Map<string, string>();
  const digestOf = (p: string) => {
    let d = digests.get(p);
    if (d === undefined) {
      d = sha(`source ${p}`);
      digests.set(p, d);
    }
    return d;
  };
  digests.set(CHANGED_HEADER, sha(configHeader));
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pendingBytes === 0) return;
    fs.writeSync(fd, Buffer.concat(pending, pendingBytes));
    bytes += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  const emit = (spawn: tools.protos.SpawnExec.$Properties) => {
    const inputs = (spawn.inputs ?? []).map((f) => f.digest?.hash ?? '').join(',');
    const outputs = (spawn.listedOutputs ?? []).map((p) => {
      const d = sha(`${(spawn.commandArgs ?? []).join(' ')}|${inputs}|${p}`);
      digests.set(p, d);
      return { path: p, digest: { hash: d, sizeBytes: 1000, hashFunctionName: 'SHA-256' } };
    });
    const message = tools.protos.SpawnExec.encodeDelimited({
      ...spawn,
      actualOutputs: outputs,
    }).finish();
    pending.push(message);
    pendingBytes += message.length;
    if (pendingBytes > 1 << 20) flush();
  };
  const file_ = (p: string) => ({
    path: p,
    digest: { hash: digestOf(p), sizeBytes: 100, hashFunctionName: 'SHA-256' },
  });
  for (let pkg = 0; pkg < shape.packages; pkg++) {
    const dir = `lib${pkg}`;
    const bin = `bazel-out/k8-fastbuild/bin/${dir}`;
    const objects: string[] = [];
    for (let i = 0; i < shape.compilesPerPackage; i++) {
      const src = `${dir}/src${i}.cc`;
      const obj = `${bin}/_objs/src${i}.o`;
      objects.push(obj);
      const headers = [`${dir}/${dir}.h`, ...SHARED_HEADERS];
      if (pkg < shape.affectedPackages) headers.push(CHANGED_HEADER);
      emit({
        commandArgs: ['/usr/bin/gcc', '-c', src, '-o', obj, '-iquote', '.', '-O0'],
        environmentVariables: [{ name: 'PATH', value: '/usr/bin:/bin' }],
        inputs: [src, ...headers].sort().map(file_),
        listedOutputs: [`${bin}/_objs/src${i}.d`, obj],
        mnemonic: 'CppCompile',
        progressMessage: `Compiling ${src}`,
        runner: 'linux-sandbox',
        remotable: true,
        cacheable: true,
      });
    }
    emit({
      commandArgs: ['/usr/bin/ar', 'rcsD', `${bin}/lib${dir}.a`, ...objects],
      environmentVariables: [{ name: 'PATH', value: '/usr/bin:/bin' }],
      inputs: objects.map(file_),
      listedOutputs: [`${bin}/lib${dir}.a`],
      mnemonic: 'CppArchive',
      progressMessage: `Linking ${dir}/lib${dir}.a`,
      runner: 'linux-sandbox',
    });
  }
  flush();
  fs.closeSync(fd);
  return bytes;
}

export function generatePair(dir: string, shape: PairShape): GeneratedPair {
  const ext = shape.format === 'compact' ? 'binpb.zst' : 'bin';
  const oldLog = path.join(dir, `old.exec.${ext}`);
  const newLog = path.join(dir, `new.exec.${ext}`);
  const write = shape.format === 'compact' ? writeCompactLog : writeLog;
  const bytes =
    write(oldLog, shape, '#define LEVEL 1\n') + write(newLog, shape, '#define LEVEL 2\n');
  return {
    oldLog,
    newLog,
    actions: shape.packages * (shape.compilesPerPackage + 1),
    expectedChanged: shape.affectedPackages * (shape.compilesPerPackage + 1),
    bytes,
  };
}

/** The same build as `writeLog`, as a compact log: files and input sets are shared entries. */
function writeCompactLog(file: string, shape: PairShape, configHeader: string): number {
  const w = new CompactLogWriter(file);
  w.add(
    { invocation: { hashFunctionName: 'SHA-256', workspaceRunfilesDirectory: '_main' } },
    false,
  );
  const fileIds = new Map<string, { id: number; hash: string }>();
  const source = (p: string, hash = sha(`source ${p}`)) => {
    let known = fileIds.get(p);
    if (!known) {
      known = { id: w.add({ file: { path: p, digest: { hash, sizeBytes: 100 } } }), hash };
      fileIds.set(p, known);
    }
    return known;
  };
  const shared = SHARED_HEADERS.map((p) => source(p));
  const sharedSet = w.add({ inputSet: { inputIds: shared.map((f) => f.id) } });
  const config = source(CHANGED_HEADER, sha(configHeader));
  const configSet = w.add({ inputSet: { inputIds: [config.id], transitiveSetIds: [sharedSet] } });
  const env = [{ name: 'PATH', value: '/usr/bin:/bin' }];
  for (let pkg = 0; pkg < shape.packages; pkg++) {
    const dir = `lib${pkg}`;
    const bin = `bazel-out/k8-fastbuild/bin/${dir}`;
    const header = source(`${dir}/${dir}.h`);
    const affected = pkg < shape.affectedPackages;
    const pkgSet = w.add({
      inputSet: { inputIds: [header.id], transitiveSetIds: [affected ? configSet : sharedSet] },
    });
    const headerHashes = [header, ...shared, ...(affected ? [config] : [])].map((f) => f.hash);
    const objects: { id: number; hash: string }[] = [];
    const objectPaths: string[] = [];
    for (let i = 0; i < shape.compilesPerPackage; i++) {
      const src = source(`${dir}/src${i}.cc`);
      const obj = `${bin}/_objs/src${i}.o`;
      const args = ['/usr/bin/gcc', '-c', `${dir}/src${i}.cc`, '-o', obj, '-iquote', '.', '-O0'];
      const key = `${args.join(' ')}|${src.hash},${headerHashes.join(',')}`;
      const objHash = sha(`${key}|${obj}`);
      const objId = w.add({ file: { path: obj, digest: { hash: objHash, sizeBytes: 1000 } } });
      const depId = w.add({
        file: { path: `${bin}/_objs/src${i}.d`, digest: { hash: sha(`${key}|d`), sizeBytes: 10 } },
      });
      objects.push({ id: objId, hash: objHash });
      objectPaths.push(obj);
      w.add(
        {
          spawn: {
            args,
            envVars: env,
            inputSetId: w.add({ inputSet: { inputIds: [src.id], transitiveSetIds: [pkgSet] } }),
            outputs: [{ outputId: depId }, { outputId: objId }],
            targetLabel: `//${dir}:${dir}`,
            mnemonic: 'CppCompile',
            runner: 'linux-sandbox',
            remotable: true,
            cacheable: true,
          },
        },
        false,
      );
    }
    const archive = `${bin}/lib${dir}.a`;
    const archiveArgs = ['/usr/bin/ar', 'rcsD', archive, ...objectPaths];
    const archiveHash = sha(`${archiveArgs.join(' ')}|${objects.map((o) => o.hash).join(',')}`);
    const archiveId = w.add({
      file: { path: archive, digest: { hash: archiveHash, sizeBytes: 1e5 } },
    });
    w.add(
      {
        spawn: {
          args: archiveArgs,
          envVars: env,
          inputSetId: w.add({ inputSet: { inputIds: objects.map((o) => o.id) } }),
          outputs: [{ outputId: archiveId }],
          targetLabel: `//${dir}:${dir}`,
          mnemonic: 'CppArchive',
          runner: 'linux-sandbox',
        },
      },
      false,
    );
  }
  w.close();
  return w.bytes;
}
