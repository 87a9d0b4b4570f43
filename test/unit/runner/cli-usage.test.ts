// Bad usage of `rbl build` and `rbl serve` is one clear InputError (exit 2), never a crash.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { buildCommand } from '../../../src/cli/commands/build';
import { serveCommand } from '../../../src/cli/commands/serve';
import type { CliIO } from '../../../src/cli/io';
import { InputError, UsageError } from '../../../src/util/errors';

function io(): CliIO {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    cwd: process.cwd(),
    env: { PATH: '' },
  };
}

describe('cli: rbl build / rbl serve usage', () => {
  it('rbl build needs -- and a Bazel command', async () => {
    await assert.rejects(buildCommand.run(['build', '//...'], io()), UsageError);
    await assert.rejects(buildCommand.run(['--json', '--'], io()), UsageError);
  });

  it('rbl build rejects a bad --bes-timeout and names a missing Bazel', async () => {
    await assert.rejects(
      buildCommand.run(['--bes-timeout', 'soon', '--', 'build', '//...'], io()),
      /--bes-timeout: expected whole seconds/,
    );
    await assert.rejects(
      buildCommand.run(['--bazel', '/nonexistent/bazel', '--', 'build', '//...'], io()),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.match(err.describe(), /^--bazel: Bazel not found: '\/nonexistent\/bazel'$/);
        return true;
      },
    );
    await assert.rejects(
      buildCommand.run(['--', 'build', '//...'], io()),
      /no bazel or bazelisk on PATH/,
    );
  });

  it('rbl serve needs a valid --listen and valid --forward URLs', async () => {
    await assert.rejects(serveCommand.run([], io()), /--listen HOST:PORT or unix:PATH is required/);
    await assert.rejects(
      serveCommand.run(['--listen', 'nowhere'], io()),
      /--listen: expected HOST:PORT or unix:PATH/,
    );
    await assert.rejects(
      serveCommand.run(['--listen', '127.0.0.1:0', '--forward', 'grpc://'], io()),
      /--forward: invalid BES URL/,
    );
    await assert.rejects(serveCommand.run(['--listen', '127.0.0.1:0', 'extra'], io()), UsageError);
  });
});
