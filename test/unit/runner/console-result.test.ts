// Reading the real outcome from Bazel 4.2.3's console when the event upload failed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { besErrorLine, exitCodeFromConsole } from '../../../src/runner/console-result';
import { fixturesDir, scenarios } from '../model/shared-fixtures';

describe('runner: outcome from the console', () => {
  it("gives each recorded scenario's own exit code", () => {
    for (const scenario of scenarios()) {
      const dir = path.join(fixturesDir(), scenario);
      const console = fs.readFileSync(path.join(dir, 'console.stderr.txt'), 'utf8');
      const expected = Number(fs.readFileSync(path.join(dir, 'exit_code.txt'), 'utf8').trim());
      assert.equal(exitCodeFromConsole(console), expected, scenario);
    }
  });

  it('finds the upload error Bazel prints, and interruption', () => {
    const console =
      'INFO: Build completed successfully, 4 total actions\n' +
      'ERROR: The Build Event Protocol upload failed: All retry attempts failed. UNAVAILABLE: Connection refused\n';
    assert.equal(exitCodeFromConsole(console), 0);
    assert.match(
      besErrorLine(console) ?? '',
      /^The Build Event Protocol upload failed: All retry attempts failed/,
    );
    assert.equal(besErrorLine('INFO: Build completed successfully\n'), null);
    assert.equal(
      exitCodeFromConsole(
        'Bazel caught interrupt signal; shutting down.\nERROR: build interrupted\n',
      ),
      8,
    );
  });
});
