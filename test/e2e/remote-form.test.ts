// The "Configure Remote Execution" form in a real VS Code (code-server + Chromium) against a
// real bazel-remote: open it from the command palette, fill it, Test (success shown), Preview
// (the diff), Apply (the .bazelrc on disk, the secret only in the secrets file), then a TLS
// server tested with the wrong CA (the TLS failure and its hint shown). One code-server start.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator } from 'playwright-core';
import { startBazelRemote, type RunningBazelRemote } from '../helpers/remote-servers';
import { makeTestPki, type TestPki } from '../helpers/tls';
import { launchBrowser } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { requireRig } from './harness/rig';
import { Workbench } from './harness/workbench';
import { extensionDir, screenshotOnFailure } from './harness/session';

const SECRET = 'rbl-e2e-form-secret-4b1d';
const TEAM_RC = '# team settings\nbuild --jobs=4\n';

/** A Bazel workspace in its own git repository (the secrets file must be git-ignored). */
function bazelWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-e2e-form-'));
  fs.writeFileSync(path.join(dir, 'MODULE.bazel'), '');
  fs.writeFileSync(path.join(dir, '.bazelrc'), TEAM_RC);
  for (const args of [
    ['init', '-q', '.'],
    ['add', '-A'],
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base'],
  ]) {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  }
  return dir;
}

describe('the remote execution form in a real VS Code, against bazel-remote', function () {
  let pki: TestPki;
  let plain: RunningBazelRemote | undefined;
  let tls: RunningBazelRemote | undefined;
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string;
  let home: string;
  const consoleLines: string[] = [];

  before(async function () {
    const rig = requireRig(this);
    pki = makeTestPki();
    [plain, tls] = await Promise.all([
      startBazelRemote(),
      startBazelRemote({ tls: { cert: pki.serverCert, key: pki.serverKey }, trustCa: pki.caCert }),
    ]);
    workspace = bazelWorkspace();
    // A private HOME, so no ~/.bazelrc of the machine shows up in the form.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-e2e-form-home-'));
    server = await startCodeServer(rig, { workspace, env: { HOME: home } });
    browser = await launchBrowser(rig);
    workbench = await Workbench.open(browser, server, workspace, extensionDir());
    // Console lines of every frame, the webview's included: a CSP refusal would show here.
    workbench.page.on('console', (m) => consoleLines.push(m.text()));
    // The palette lists the extension's commands once its contributions are in.
    await workbench.openViewContainer('Remote Build Lens');
  });

  afterEach(screenshotOnFailure(() => workbench, 'remote-form-'));

  after(async () => {
    await workbench?.close();
    await browser?.close();
    await server?.stop();
    await Promise.all([plain?.stop(), tls?.stop()]);
    pki?.dispose();
    for (const dir of [workspace, home]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The form's document. code-server shows a webview in two nested iframes: the outer one
   * (class `webview`) hosts VS Code's own page, which loads ours into `#active-frame`.
   */
  function form(): FrameLocator {
    if (workbench === undefined) throw new Error('no workbench');
    return workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async function fill(values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values))
      await form().locator(`#f-${name}`).fill(value);
  }

  it('tests, previews and applies a cache with a secret header, from the command palette', async function () {
    if (workbench === undefined || plain === undefined) this.skip();
    const wb = workbench;
    await wb.runCommand('Remote Build Lens: Enable Remote Execution');
    // Prefilled from what is in effect: the team's --jobs=4.
    await form().locator('#f-jobs').waitFor({ state: 'visible', timeout: 60_000 });
    await assert.doesNotReject(async () => {
      const jobs = form().locator('#f-jobs');
      for (let i = 0; i < 50 && (await jobs.inputValue()) !== '4'; i++)
        await wb.page.waitForTimeout(100);
      assert.equal(await jobs.inputValue(), '4');
    });
    assert.match(await form().locator('#secret-state').innerText(), /No secret is set/);

    await form().locator('#preset').selectOption('bazel-remote');
    // The host answers with the preset's values; fill in only after they arrived.
    await form().locator('#preset-note', { hasText: 'A cache only' }).waitFor();
    assert.equal(await form().locator('#f-cache').inputValue(), 'grpc://localhost:9092');
    await fill({ cache: plain.grpcUrl, headerName: 'x-api-key', headerValue: SECRET });
    await form().locator('#test').click();
    const ok = form().locator('.card.ok');
    await ok.waitFor({ state: 'visible', timeout: 60_000 });
    const okText = await ok.innerText();
    assert.match(
      okText,
      new RegExp(`Cache: connected to ${plain.grpcUrl.replace(/[/.]/g, '\\$&')}`),
    );
    assert.match(okText, /Remote cache: yes/);
    assert.match(okText, /Remote execution: no/);
    assert.match(okText, /REAPI versions: 2\.0 to 2\.3/);
    assert.match(okText, /Digest functions: SHA256/);
    await wb.screenshot('remote-form-success');

    await form().locator('#preview').click();
    const diff = form().locator('#preview-result');
    await diff.locator('pre.diff').first().waitFor({ state: 'visible' });
    const diffText = await diff.innerText();
    assert.match(diffText, /\+.*--remote_cache=grpc:\/\/127\.0\.0\.1:\d+/);
    assert.match(diffText, /--remote_header=x-api-key=\*\*\*/);
    assert.ok(!diffText.includes(SECRET), 'the preview shows the secret as ***');
    assert.equal(
      fs.readFileSync(path.join(workspace, '.bazelrc'), 'utf8'),
      TEAM_RC,
      'Preview wrote nothing',
    );

    await form().locator('#apply').click();
    await form().locator('#status', { hasText: 'Applied' }).waitFor({ state: 'visible' });
    const bazelrc = fs.readFileSync(path.join(workspace, '.bazelrc'), 'utf8');
    assert.ok(bazelrc.startsWith(TEAM_RC), 'the team lines are kept byte for byte');
    assert.ok(bazelrc.includes(`--remote_cache=${plain.grpcUrl}`), bazelrc);
    assert.ok(!bazelrc.includes(SECRET), '.bazelrc has no secret');
    const secrets = fs.readFileSync(path.join(workspace, 'user.bazelrc'), 'utf8');
    assert.ok(
      secrets.includes(`--remote_header=x-api-key=${SECRET}`),
      'the secret is in user.bazelrc',
    );
    assert.match(fs.readFileSync(path.join(workspace, '.gitignore'), 'utf8'), /^\/user\.bazelrc$/m);
    // The form says a secret is set, and its page holds no secret any more.
    await form().locator('#secret-state', { hasText: 'A secret is set for x-api-key' }).waitFor();
    assert.equal(await form().locator('#f-headerValue').inputValue(), '');
    assert.ok(!(await form().locator('body').innerHTML()).includes(SECRET));
    const refused = consoleLines.filter((l) => /Content[- ]Security[- ]Policy/i.test(l));
    assert.deepEqual(refused, [], 'the page needs nothing its CSP refuses');
  });

  it('shows the TLS failure and its hint for a server whose CA is not the one given', async function () {
    if (workbench === undefined || tls === undefined) this.skip();
    await fill({ cache: tls.grpcUrl, tlsCa: pki.otherCaCert });
    // Enter in a field runs the test: the form is usable from the keyboard.
    await form().locator('#f-tlsCa').press('Enter');
    const fail = form().locator('.card.fail');
    await fail.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await fail.innerText();
    assert.match(text, /Failure: tls/);
    assert.match(text, /Hint: .*TLS CA certificate field/);
    await workbench.screenshot('remote-form-tls-error');
    // With the right CA the same server answers.
    await fill({ tlsCa: pki.caCert });
    await form().locator('#test').click();
    await form().locator('.card.ok').waitFor({ state: 'visible', timeout: 60_000 });
  });

  it('Disable Remote Execution removes exactly what Apply added', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    assert.ok(fs.existsSync(path.join(workspace, 'user.bazelrc')), 'the first case applied');
    await wb.runCommand('Remote Build Lens: Disable Remote Execution');
    // A modal asks first, naming the files; code-server draws it in the page.
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /\.bazelrc/);
    await dialog.locator('.monaco-button', { hasText: 'Disable' }).first().click();
    await wb.page
      .locator('.notification-toast', { hasText: 'remote execution disabled' })
      .waitFor({ state: 'visible' });
    assert.equal(fs.readFileSync(path.join(workspace, '.bazelrc'), 'utf8'), TEAM_RC);
    assert.ok(
      !fs.existsSync(path.join(workspace, 'user.bazelrc')),
      'the secrets file we made is gone',
    );
    assert.ok(!fs.existsSync(path.join(workspace, '.gitignore')), 'the .gitignore we made is gone');
  });
});
