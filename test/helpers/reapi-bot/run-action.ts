// Runs one REAPI Action the way a remote worker does (REAPI v2 semantics): materialise the input
// root from CAS into a fresh temp dir, run the command with exactly its environment, upload the
// outputs, stdout and stderr, and describe them in an ActionResult.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from '../../../src/gen/protos';
import { digestOf, type CasClient } from './cas-client';

const v2 = build.bazel.remote.execution.v2;
type Action = build.bazel.remote.execution.v2.IAction;
type Digest = build.bazel.remote.execution.v2.IDigest;
type Directory = build.bazel.remote.execution.v2.IDirectory;

/** Writes the tree rooted at `digest` into `dir`. */
async function materialize(cas: CasClient, digest: Digest, dir: string): Promise<void> {
  const directory = v2.Directory.decode(await cas.readOne(digest));
  fs.mkdirSync(dir, { recursive: true });
  const contents = await cas.read(directory.files.map((f) => f.digest ?? {}));
  for (const file of directory.files) {
    const target = path.join(dir, file.name ?? '');
    const data = contents.get(`${file.digest?.hash ?? ''}/${Number(file.digest?.sizeBytes ?? 0)}`);
    if (!data) throw new Error(`input ${file.name} missing from CAS`);
    fs.writeFileSync(target, data, { mode: file.isExecutable ? 0o755 : 0o644 });
  }
  for (const link of directory.symlinks)
    fs.symlinkSync(link.target ?? '', path.join(dir, link.name ?? ''));
  for (const sub of directory.directories)
    await materialize(cas, sub.digest ?? {}, path.join(dir, sub.name ?? ''));
}

interface RunOutcome {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

function runCommand(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs)
        : undefined;
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    let finished = false;
    const finish = (exitCode: number, extra = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (extra) stderr.push(Buffer.from(extra));
      resolve({ exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), timedOut });
    };
    // A command that cannot be started (ENOENT) fails the way a shell would report it.
    child.on('error', (err) => finish(127, `${argv[0]}: ${err.message}\n`));
    child.on('close', (code, signal: NodeJS.Signals | null) => {
      if (code !== null) finish(code);
      else finish(signal !== null ? 128 + os.constants.signals[signal] : 1);
    });
  });
}

/** Reads an output directory into a Tree (root plus every child Directory), uploading files. */
function treeOf(dir: string, blobs: Buffer[]): { root: Directory; children: Directory[] } {
  const children: Directory[] = [];
  const walk = (d: string): Directory => {
    const entries = fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const node: Directory = { files: [], directories: [], symlinks: [] };
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) node.symlinks?.push({ name: e.name, target: fs.readlinkSync(p) });
      else if (e.isDirectory()) {
        const child = walk(p);
        children.push(child);
        const bytes = Buffer.from(v2.Directory.encode(child).finish());
        node.directories?.push({ name: e.name, digest: digestOf(bytes) });
      } else {
        const data = fs.readFileSync(p);
        blobs.push(data);
        node.files?.push({
          name: e.name,
          digest: digestOf(data),
          isExecutable: (fs.statSync(p).mode & 0o111) !== 0,
        });
      }
    }
    return node;
  };
  const root = walk(dir);
  return { root, children };
}

export interface ExecutedAction {
  result: build.bazel.remote.execution.v2.ActionResult;
  /** Whether the action's own timeout killed it (the lease then reports DEADLINE_EXCEEDED). */
  timedOut: boolean;
}

/** Runs `action` in a fresh temp dir under `workRoot` and uploads what it produced. */
export async function runAction(
  cas: CasClient,
  action: Action,
  workerName: string,
  workRoot: string,
): Promise<ExecutedAction> {
  const started = new Date();
  const command = v2.Command.decode(await cas.readOne(action.commandDigest ?? {}));
  const root = fs.mkdtempSync(path.join(workRoot, 'action-'));
  try {
    await materialize(cas, action.inputRootDigest ?? {}, root);
    const cwd = path.join(root, command.workingDirectory);
    const outputs =
      command.outputPaths.length > 0
        ? command.outputPaths
        : [...command.outputFiles, ...command.outputDirectories];
    for (const out of outputs) fs.mkdirSync(path.dirname(path.join(cwd, out)), { recursive: true });
    for (const out of command.outputDirectories)
      fs.mkdirSync(path.join(cwd, out), { recursive: true });
    const env: Record<string, string> = {};
    for (const v of command.environmentVariables) env[v.name ?? ''] = v.value ?? '';
    const timeoutMs = action.timeout
      ? Number(action.timeout.seconds ?? 0) * 1000 + Math.floor((action.timeout.nanos ?? 0) / 1e6)
      : 0;
    const execStart = new Date();
    const run = await runCommand(command.arguments, cwd, env, timeoutMs);
    const execEnd = new Date();
    const blobs: Buffer[] = [run.stdout, run.stderr];
    const result = v2.ActionResult.create({
      exitCode: run.exitCode,
      stdoutDigest: digestOf(run.stdout),
      stderrDigest: digestOf(run.stderr),
    });
    for (const out of outputs) {
      const p = path.join(cwd, out);
      if (!fs.existsSync(p)) continue;
      const stat = fs.statSync(p);
      if (stat.isDirectory()) {
        const tree = treeOf(p, blobs);
        for (const c of tree.children) blobs.push(Buffer.from(v2.Directory.encode(c).finish()));
        const treeBytes = Buffer.from(v2.Tree.encode(tree).finish());
        blobs.push(treeBytes);
        result.outputDirectories.push({ path: out, treeDigest: digestOf(treeBytes) });
      } else {
        const data = fs.readFileSync(p);
        blobs.push(data);
        result.outputFiles.push({
          path: out,
          digest: digestOf(data),
          isExecutable: (stat.mode & 0o111) !== 0,
        });
      }
    }
    const uploadStart = new Date();
    await cas.write(blobs);
    result.executionMetadata = {
      worker: workerName,
      workerStartTimestamp: timestamp(started),
      executionStartTimestamp: timestamp(execStart),
      executionCompletedTimestamp: timestamp(execEnd),
      outputUploadStartTimestamp: timestamp(uploadStart),
      outputUploadCompletedTimestamp: timestamp(new Date()),
      workerCompletedTimestamp: timestamp(new Date()),
    };
    return { result, timedOut: run.timedOut };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function timestamp(d: Date): { seconds: number; nanos: number } {
  const ms = d.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}
