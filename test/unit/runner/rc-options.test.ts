import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rcOptionWords } from '../../../src/runner/rc-options';

describe('runner: option words from rc files', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-rc-options-'));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const words = (command: string, explicit: string[] = []): string[] =>
    rcOptionWords({
      workspace: ws,
      command,
      explicit,
      startup: ['--nosystem_rc', '--nohome_rc'],
      env: { HOME: ws },
    });

  it('follows imports, inherits build lines in test, and expands --config in place', () => {
    fs.writeFileSync(
      path.join(ws, '.bazelrc'),
      [
        'build --jobs=4 # a comment',
        'try-import %workspace%/user.bazelrc',
        'test --test_output=errors',
        'build:ci --execution_log_json_file=/tmp/ci.json',
        'build:ci2 --config=ci',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(ws, 'user.bazelrc'), 'build "--remote_header=x-key=a b"\n');
    assert.deepEqual(words('test', ['--config=ci2']), [
      '--jobs=4',
      '--remote_header=x-key=a b',
      '--test_output=errors',
      '--execution_log_json_file=/tmp/ci.json',
    ]);
    assert.deepEqual(words('build'), ['--jobs=4', '--remote_header=x-key=a b']);
  });

  it('joins a line continued with a backslash, as Bazel does', () => {
    fs.writeFileSync(path.join(ws, '.bazelrc'), 'build --jobs=4 \\\n  --keep_going\n');
    assert.deepEqual(words('build'), ['--jobs=4', '--keep_going']);
  });
});
