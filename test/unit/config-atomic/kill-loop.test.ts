// Config files are never lost or half-written: a child applies remote settings to a
// workspace in a loop and is SIGKILLed after a random delay, again and again. After every
// kill the .bazelrc is exactly the old or the new content, with its mode kept. Also: a plan
// is refused when the file changed on disk after it was read, and the temp files killed
// writers leave are removed by the next write (only those whose writer is dead).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPlan, planRemoteDisable, planRemoteSet } from '../../../src/config';
import { InputError } from '../../../src/util/errors';
import { Prng, fuzzSeed } from '../../helpers/fuzz-mutate';

const CHILD = path.join(__dirname, 'writer-child.js');

/** Kills per run: RBL_KILL_ITERATIONS for the long variant. */
function iterations(): number {
  const n = Number(process.env.RBL_KILL_ITERATIONS ?? '40');
  if (!Number.isInteger(n) || n < 1) throw new Error('RBL_KILL_ITERATIONS is not a count');
  return n;
}

/** Starts the writer, waits until it writes, kills it after `delayMs`; resolves when gone. */
function killWriterAfter(workspace: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, workspace], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

/** The pid of a process that has exited (its number is free, not yet reused). */
function exitedPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid ?? 0));
  });
}

const scratch: string[] = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-kill-loop-'));
  scratch.push(ws);
  return ws;
}

const options = (ws: string) => ({
  workspace: ws,
  tool: 'bazel' as const,
  config: null,
  env: {},
  systemRc: null,
  homeDir: null,
});

/** Writers killed at once, each in its own workspace. */
const LANES = 4;

/** One lane of the kill loop: `count` kills of a writer on one workspace's `.bazelrc`. */
async function killLane(
  lane: number,
  count: number,
  rng: Prng,
  seen: { old: number; new: number; litter: number },
  seed: number,
): Promise<void> {
  const ws = workspace();
  const rc = path.join(ws, '.bazelrc');
  // About 150 kB, so a write takes long enough for kills to land inside it.
  const filler = Array.from({ length: 5_000 }, (_, i) => `build:cfg${i} --jobs=${i % 64}`);
  const old = `# a user's rc file\n${filler.join('\n')}\n`;
  fs.writeFileSync(rc, old);
  fs.chmodSync(rc, 0o640);
  // The "new" content: what one `set` writes (the child alternates set and disable).
  applyPlan(
    planRemoteSet(options(ws), { executor: 'grpcs://re.example.com:443', instance: 'main' }),
  );
  const updated = fs.readFileSync(rc, 'utf8');
  assert.notEqual(updated, old);
  fs.writeFileSync(rc, old);
  for (let i = 0; i < count; i++) {
    await killWriterAfter(ws, rng.int(250));
    const now = fs.readFileSync(rc, 'utf8');
    assert.ok(
      now === old || now === updated,
      `lane ${lane} kill ${i} (seed ${seed}) left a file that is neither the old nor the new content (${now.length} chars)`,
    );
    if (now === old) seen.old++;
    else seen.new++;
    assert.equal(
      fs.statSync(rc).mode & 0o777,
      0o640,
      `lane ${lane} kill ${i} (seed ${seed}) changed the mode`,
    );
  }
  seen.litter += fs.readdirSync(ws).filter((n) => n.endsWith('.tmp')).length;
  // The next write removes what killed writers left (their pids are gone).
  applyPlan(planRemoteDisable(options(ws)));
  const left = fs.readdirSync(ws).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(left, [], `lane ${lane}: temp files of dead writers survived the next write`);
}

describe('config writes under SIGKILL', function () {
  this.timeout(600_000);

  it('the file is always the old or the new content, with its mode, after every kill', async () => {
    const started = Date.now();
    const seed = fuzzSeed();
    const total = iterations();
    const seen = { old: 0, new: 0, litter: 0 };
    // Independent lanes (one workspace and one writer at a time each) so that the default
    // suite's kills fit in its time: most of a kill's cost is starting Node.
    await Promise.all(
      Array.from({ length: LANES }, (_, lane) =>
        killLane(lane, Math.ceil((total - lane) / LANES), new Prng(seed + lane), seen, seed),
      ),
    );
    // Kills landed both before and after a rename: the loop really raced the writes.
    assert.ok(seen.old > 0 && seen.new > 0, `only one outcome seen: ${JSON.stringify(seen)}`);
    console.log(
      `      ${total} kills survived in ${((Date.now() - started) / 1000).toFixed(1)} s (${LANES} lanes): ` +
        `${seen.old} old, ${seen.new} new; ${seen.litter} temp files left by killed writers, ` +
        'removed by the next write',
    );
  });

  it("removes a dead writer's temp file on the next write, never a live writer's", async () => {
    const ws = workspace();
    const rc = path.join(ws, '.bazelrc');
    fs.writeFileSync(rc, 'build --jobs=4\n');
    const dead = await exitedPid();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      const deadTemp = path.join(ws, `..bazelrc.rbl-${dead}-0badf00d.tmp`);
      const liveTemp = path.join(ws, `..bazelrc.rbl-${live.pid}-0badf00d.tmp`);
      const otherFile = path.join(ws, `..user.bazelrc.rbl-${dead}-0badf00d.tmp`);
      for (const f of [deadTemp, liveTemp, otherFile]) fs.writeFileSync(f, 'half a write');
      applyPlan(planRemoteSet(options(ws), { executor: 'grpcs://re.example.com:443' }));
      assert.ok(!fs.existsSync(deadTemp), "a dead writer's temp file was kept");
      assert.ok(fs.existsSync(liveTemp), "a live writer's temp file was removed");
      assert.ok(fs.existsSync(otherFile), "another file's temp file was touched");
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('refuses to write over a file that changed on disk since it was read', () => {
    const ws = workspace();
    const rc = path.join(ws, '.bazelrc');
    fs.writeFileSync(rc, 'build --jobs=4\n');
    const plan = planRemoteSet(options(ws), { executor: 'grpcs://re.example.com:443' });
    fs.writeFileSync(rc, 'build --jobs=8\n');
    assert.throws(
      () => applyPlan(plan),
      (err: unknown) => err instanceof InputError && /changed on disk/.test(err.message),
    );
    assert.equal(fs.readFileSync(rc, 'utf8'), 'build --jobs=8\n');
  });
});
