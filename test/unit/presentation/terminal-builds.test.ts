// "Show Terminal Builds" rc edits: our two marked lines go into the private rc file only, are
// removed byte for byte, and the feature refuses rather than edit the committed .bazelrc.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPlan } from '../../../src/config/edit-plan';
import {
  planTerminalBuildsOff,
  planTerminalBuildsOn,
  removeOurs,
  terminalBuildsEnabled,
  terminalFiles,
} from '../../../src/presentation/terminal-builds';
import { InputError } from '../../../src/util/errors';

describe('presentation: terminal builds rc lines', () => {
  let ws: string;
  const files = terminalFiles('/var/cache/bazel/_bazel_me/0123abcd');
  const opts = (): { workspace: string; systemRc: null; homeRc: null } => ({
    workspace: ws,
    systemRc: null,
    homeRc: null,
  });

  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-terminal-')));
    fs.writeFileSync(path.join(ws, 'WORKSPACE'), '');
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('adds the BEP and execution log flags to the try-imported user.bazelrc, never to .bazelrc', () => {
    const bazelrc = 'build --nosandbox_debug\r\ntry-import %workspace%/user.bazelrc\r\n';
    fs.writeFileSync(path.join(ws, '.bazelrc'), bazelrc);
    const mine = '# my own settings\nbuild --jobs=4'; // no final newline
    fs.writeFileSync(path.join(ws, 'user.bazelrc'), mine);
    assert.equal(terminalBuildsEnabled(opts()), null);

    applyPlan(planTerminalBuildsOn(opts(), files));

    assert.equal(fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'), bazelrc);
    const after = fs.readFileSync(path.join(ws, 'user.bazelrc'), 'utf8');
    assert.equal(
      after,
      `${mine}\nbuild --build_event_binary_file=${files.bep} # rbl:terminal\n` +
        `build --execution_log_json_file=${files.execLog} # rbl:terminal`,
    );
    assert.deepEqual(terminalBuildsEnabled(opts()), files);
    // Turning it on twice changes nothing; turning it off restores the file byte for byte.
    applyPlan(planTerminalBuildsOn(opts(), files));
    assert.equal(fs.readFileSync(path.join(ws, 'user.bazelrc'), 'utf8'), after);
    applyPlan(planTerminalBuildsOff(opts()));
    assert.equal(fs.readFileSync(path.join(ws, 'user.bazelrc'), 'utf8'), mine);
    assert.equal(terminalBuildsEnabled(opts()), null);
  });

  it('creates user.bazelrc (0600) when missing and deletes it again when only its header is left', () => {
    fs.writeFileSync(path.join(ws, '.bazelrc'), 'try-import %workspace%/user.bazelrc\n');
    applyPlan(planTerminalBuildsOn(opts(), files));
    const rc = path.join(ws, 'user.bazelrc');
    assert.equal(fs.statSync(rc).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(rc, 'utf8'), /^# rbl:terminal: created by/);
    applyPlan(planTerminalBuildsOff(opts()));
    assert.equal(fs.existsSync(rc), false);
  });

  it('leaves the lines of `rbl remote set` alone, and they leave ours alone', () => {
    const remote = 'build --remote_header=x=y # rbl:remote\n';
    const text = `${remote}build --build_event_binary_file=/x # rbl:terminal\n`;
    assert.equal(removeOurs(text), remote);
  });

  it('refuses when no private rc file is imported: the committed .bazelrc is never edited', () => {
    const bazelrc = 'build --nosandbox_debug\n';
    fs.writeFileSync(path.join(ws, '.bazelrc'), bazelrc);
    assert.throws(
      () => planTerminalBuildsOn(opts(), files),
      (err: unknown) =>
        err instanceof InputError && /try-import %workspace%\/user\.bazelrc/.test(err.message),
    );
    assert.equal(fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'), bazelrc);
    assert.equal(fs.existsSync(path.join(ws, 'user.bazelrc')), false);
  });

  it('refuses when the user already writes a BEP file of their own', () => {
    fs.writeFileSync(
      path.join(ws, '.bazelrc'),
      'build --build_event_binary_file=/tmp/mine.bep\ntry-import %workspace%/user.bazelrc\n',
    );
    assert.throws(() => planTerminalBuildsOn(opts(), files), /already sets/);
  });
});
