import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Tool } from '../../../../src/config';
import {
  emptyValues,
  RemoteFormController,
  type FormValues,
  type HostMessage,
} from '../../../../src/presentation/remote-form';

const SECRET = 'rbl-form-secret-77aa';

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr ?? r.error}`);
}

/** A Bazel workspace in a git repo, with a user rc line the form must keep. */
function bazelWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-form-ws-'));
  git(ws, 'init', '-q', '.');
  fs.writeFileSync(path.join(ws, 'MODULE.bazel'), '');
  fs.writeFileSync(path.join(ws, '.bazelrc'), '# team settings\nbuild --jobs=4\n');
  git(ws, 'add', '-A');
  git(ws, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  return ws;
}

/** The host the editor provides, with SecretStorage as a map (VS Code's own is not in Node). */
class Host {
  posted: HostMessage[] = [];
  logs: string[] = [];
  trusted = true;
  stored = new Map<Tool, Record<string, string>>();
  constructor(
    readonly workspace: string,
    readonly tools: Tool[] = ['bazel'],
  ) {}
  controller = () =>
    new RemoteFormController({
      workspace: this.workspace,
      tools: this.tools,
      isTrusted: () => this.trusted,
      storedHeaders: async (tool) => ({ ...(this.stored.get(tool) ?? {}) }),
      storeHeaders: async (tool, headers) => void this.stored.set(tool, { ...headers }),
      post: (m) => this.posted.push(m),
      log: (l) => this.logs.push(l),
      env: {},
      homeDir: null,
      systemRc: null,
      testTimeoutMs: 3000,
    });
  last<T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }> {
    const found = [...this.posted].reverse().find((m) => m.type === type);
    assert.ok(found, `no '${type}' message; got ${this.posted.map((m) => m.type).join(', ')}`);
    return found as Extract<HostMessage, { type: T }>;
  }
}

describe('remote form: the controller with the real config layer', function () {
  this.timeout(20_000);
  let ws: string;
  let host: Host;
  let form: RemoteFormController;
  const values = (patch: Partial<FormValues>): FormValues => ({ ...emptyValues(), ...patch });

  beforeEach(() => {
    ws = bazelWorkspace();
    host = new Host(ws);
    form = host.controller();
  });
  afterEach(() => {
    // Nothing the host was sent may carry the secret, whatever the case did.
    assert.ok(!JSON.stringify(host.posted).includes(SECRET), 'a secret reached the webview');
    assert.ok(!host.logs.join('\n').includes(SECRET), 'a secret reached the log');
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('prefills from what is in effect and shows only the tool’s fields', async () => {
    await form.handle({ type: 'ready' });
    const state = host.last('state');
    assert.equal(state.tool, 'bazel');
    assert.equal(state.values.jobs, '4');
    assert.deepEqual(state.files, ['.bazelrc']);
    assert.ok(state.fields.some((f) => f.name === 'besBackend' && f.where === '--bes_backend'));
    assert.equal(state.secret.state, 'not-set');
  });

  it('previews exactly the changed settings, applies them, and keeps the secret out of .bazelrc', async () => {
    await form.handle({ type: 'ready' });
    const typed = values({
      cache: 'grpc://127.0.0.1:9092',
      instance: 'main',
      jobs: '4',
      headerName: 'x-api-key',
      headerValue: SECRET,
    });
    await form.handle({ type: 'preview', values: typed });
    const preview = host.last('preview');
    const files = preview.files.map((f) => f.file).sort();
    assert.deepEqual(files, ['.bazelrc', '.gitignore', 'user.bazelrc']);
    const rc = preview.files.find((f) => f.file === '.bazelrc')?.diff ?? '';
    assert.match(rc, /^\+.*--remote_cache=grpc:\/\/127\.0\.0\.1:9092/m);
    assert.match(rc, /^\+.*--remote_instance_name=main/m);
    assert.doesNotMatch(rc, /^\+.*--jobs/m, 'jobs=4 is already in effect: not written again');
    const userRc = preview.files.find((f) => f.file === 'user.bazelrc')?.diff ?? '';
    assert.match(userRc, /--remote_header=x-api-key=\*\*\*/);
    assert.equal(
      fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'),
      '# team settings\nbuild --jobs=4\n',
    );

    await form.handle({ type: 'apply', values: typed });
    const applied = host.last('applied');
    assert.deepEqual([...applied.written].sort(), files);
    const bazelrc = fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8');
    assert.match(bazelrc, /^# team settings\nbuild --jobs=4\n/);
    assert.match(bazelrc, /--remote_cache=grpc:\/\/127\.0\.0\.1:9092/);
    assert.ok(!bazelrc.includes(SECRET));
    assert.ok(fs.readFileSync(path.join(ws, 'user.bazelrc'), 'utf8').includes(SECRET));
    assert.equal((fs.statSync(path.join(ws, 'user.bazelrc')).mode & 0o777).toString(8), '600');
    assert.deepEqual(host.stored.get('bazel'), { 'x-api-key': SECRET });
    assert.equal(applied.secret.state, 'set');

    // Reopened: the secret shows as set without its value.
    await form.handle({ type: 'ready' });
    assert.equal(host.last('state').secret.state, 'set');
    assert.equal(host.last('state').values.headerValue, '');
    assert.equal(host.last('state').values.headerName, 'x-api-key');
  });

  it('answers a preset with its values but never echoes the typed secret', async () => {
    await form.handle({
      type: 'preset',
      preset: 'buildbuddy',
      values: values({ headerValue: SECRET, jobs: '8' }),
    });
    const answer = host.last('values');
    assert.equal(answer.values.executor, 'grpcs://remote.buildbuddy.io');
    assert.equal(answer.values.headerName, 'x-buildbuddy-api-key');
    assert.equal(answer.values.jobs, '8');
    assert.equal(answer.values.headerValue, '');
    assert.match(answer.note, /API key/);
  });

  it('warns in the preview that an emptied field stays in effect, naming its line', async () => {
    await form.handle({ type: 'ready' });
    await form.handle({ type: 'preview', values: values({ cache: 'grpc://127.0.0.1:9092' }) });
    const { warnings } = host.last('preview');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0],
      /remote parallelism \(jobs\) was emptied but stays in effect from \.bazelrc:2/,
    );
  });

  it('says when the secrets file and the editor’s copy differ', async () => {
    await form.handle({ type: 'ready' });
    await form.handle({
      type: 'apply',
      values: values({
        cache: 'grpc://127.0.0.1:9092',
        headerName: 'x-api-key',
        headerValue: SECRET,
      }),
    });
    const file = path.join(ws, 'user.bazelrc');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(SECRET, 'rotated-elsewhere'));
    await form.handle({ type: 'ready' });
    assert.equal(host.last('state').secret.state, 'differs');
    assert.match(host.last('state').secret.text, /differs/);
    host.stored.clear();
    await form.handle({ type: 'ready' });
    assert.equal(host.last('state').secret.state, 'file-only');
  });

  it('refuses Test and Apply in Restricted Mode (Preview still works) and writes nothing', async () => {
    host.trusted = false;
    await form.handle({ type: 'ready' });
    assert.equal(host.last('state').trusted, false);
    const typed = values({ cache: 'grpc://127.0.0.1:9092' });
    await form.handle({ type: 'apply', values: typed });
    assert.match(host.last('error').message, /not trusted/);
    await form.handle({ type: 'test', values: typed });
    assert.match(host.last('error').message, /not trusted/);
    assert.equal(host.posted.filter((m) => m.type === 'testResult').length, 0);
    await form.handle({ type: 'preview', values: typed });
    assert.equal(host.last('preview').files.length, 1);
    assert.equal(
      fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'),
      '# team settings\nbuild --jobs=4\n',
    );
  });

  it('validates before acting, and ignores malformed messages with a log line of the reason only', async () => {
    await form.handle({ type: 'apply', values: values({ executor: 'ftp://x', jobs: 'many' }) });
    const errors = host.last('validation').errors;
    assert.ok(errors.executor && errors.jobs);
    assert.match(host.last('error').message, /Fix the fields/);
    const before = host.posted.length;
    await form.handle({ type: 'apply', values: { ...values({}), headerValue: 5, note: SECRET } });
    await form.handle({ type: 'exfiltrate', secret: SECRET });
    assert.equal(host.posted.length, before, 'nothing answered');
    assert.equal(host.logs.filter((l) => l.includes('ignored a message')).length, 2);
    assert.equal(
      fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'),
      '# team settings\nbuild --jobs=4\n',
    );
  });

  it('tests the connection and explains a refused port with a hint', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await form.handle({ type: 'ready' });
    await form.handle({
      type: 'test',
      values: values({
        cache: `grpc://127.0.0.1:${port}`,
        headerName: 'x-api-key',
        headerValue: SECRET,
      }),
    });
    const [result] = host.last('testResult').results;
    assert.equal(result.ok, false);
    assert.match(result.title, /^Cache: /);
    assert.match(result.lines.join('\n'), /Failure: unavailable/);
    assert.ok((result.hint ?? '').length > 0);
  });

  it('switches tools only among those the workspace has, with that tool’s fields', async () => {
    fs.writeFileSync(path.join(ws, '.buckconfig'), '[repositories]\nroot = .\n');
    host = new Host(ws, ['bazel', 'buck2']);
    form = host.controller();
    await form.handle({ type: 'selectTool', tool: 'buck2' });
    const state = host.last('state');
    assert.equal(state.tool, 'buck2');
    assert.deepEqual(state.tools, ['bazel', 'buck2']);
    assert.ok(!state.fields.some((f) => f.name === 'jobs'));
    await form.handle({ type: 'selectTool', tool: 'pants' });
    assert.equal(form.currentTool, 'buck2');
    assert.match(host.logs.join('\n'), /selectTool/);
  });
});

describe('remote form: Pants and Buck2 through the same controller', function () {
  this.timeout(20_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function previewFor(tool: Tool, file: string, text: string, patch: Partial<FormValues>) {
    const ws = bazelWorkspace();
    dirs.push(ws);
    fs.writeFileSync(path.join(ws, file), text);
    const host = new Host(ws, [tool]);
    const form = host.controller();
    await form.handle({ type: 'ready' });
    await form.handle({ type: 'preview', values: { ...emptyValues(), ...patch } });
    return host;
  }

  it('writes pants.toml option names for the pinned Pants version', async () => {
    const host = await previewFor('pants', 'pants.toml', '[GLOBAL]\npants_version = "2.20.0"\n', {
      executor: 'grpcs://re.example.com:443',
      instance: 'main',
      jobs: '64',
    });
    const diff = host.last('preview').files.find((f) => f.file === 'pants.toml')?.diff ?? '';
    assert.match(diff, /^\+remote_execution_address = "grpcs:\/\/re\.example\.com:443"/m);
    assert.match(diff, /^\+remote_instance_name = "main"/m);
    assert.match(diff, /^\+process_execution_remote_parallelism = 64/m);
  });

  it('writes Buck2’s [buck2_re_client] and refuses what Buck2 lacks', async () => {
    const host = await previewFor('buck2', '.buckconfig', '[repositories]\nroot = .\n', {
      executor: 'grpc://re.example.com:8980',
      instance: 'main',
    });
    const diff = host.last('preview').files.find((f) => f.file === '.buckconfig')?.diff ?? '';
    assert.match(diff, /^\+\[buck2_re_client\]/m);
    assert.match(diff, /^\+\s*engine_address = grpc:\/\/re\.example\.com:8980/m);
    await host.controller().handle({
      type: 'preview',
      values: { ...emptyValues(), executor: 'grpc://h:1', jobs: '8' },
    });
    assert.match(host.last('validation').errors.jobs ?? '', /Buck2 has no setting/);
  });
});
