// Config files are never lost or half-written: a child applies remote settings to a
// workspace in a loop and is SIGKILLed after a random delay, again and again. After every
// kill the .bazelrc is exactly the old or the new content, with its mode kept. Also: a plan
// is refused when the file changed on disk after it was read.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPlan, planRemoteSet } from '../../../src/config';
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

describe('config writes under SIGKILL', function () {
  this.timeout(600_000);

  it('the file is always the old or the new content, with its mode, after every kill', async () => {
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

    const seed = fuzzSeed();
    const rng = new Prng(seed);
    const seen = { old: 0, new: 0 };
    for (let i = 0; i < iterations(); i++) {
      await killWriterAfter(ws, rng.int(400));
      const now = fs.readFileSync(rc, 'utf8');
      assert.ok(
        now === old || now === updated,
        `kill ${i} (seed ${seed}) left a file that is neither the old nor the new content (${now.length} chars)`,
      );
      if (now === old) seen.old++;
      else seen.new++;
      assert.equal(
        fs.statSync(rc).mode & 0o777,
        0o640,
        `kill ${i} (seed ${seed}) changed the mode`,
      );
    }
    // Kills landed both before and after a rename: the loop really raced the writes.
    assert.ok(seen.old > 0 && seen.new > 0, `only one outcome seen: ${JSON.stringify(seen)}`);
    const litter = fs.readdirSync(ws).filter((n) => n.endsWith('.tmp'));
    console.log(
      `      ${iterations()} kills survived: ${seen.old} old, ${seen.new} new; ${litter.length} temp files left by killed writers`,
    );
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
