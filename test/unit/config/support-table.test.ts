import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTING_FLAGS, SETTING_NAMES, SUPPORT, TOOLS } from '../../../src/config/settings';

/** docs/REMOTE-SETTINGS.md, found from the project root (the cwd of the test run or above). */
function docText(): string {
  for (let d = process.cwd(); d !== path.dirname(d); d = path.dirname(d)) {
    const p = path.join(d, 'docs', 'REMOTE-SETTINGS.md');
    if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8');
  }
  throw new Error('docs/REMOTE-SETTINGS.md not found above the working directory');
}

describe('config support table: code and docs agree', () => {
  it('has one docs row per setting, with "—" exactly where the tool has no setting', () => {
    const rows = docText()
      .split('\n')
      .filter((l) => l.startsWith('| ') && l.includes('(`--'))
      .map((l) =>
        l
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    assert.equal(rows.length, SETTING_NAMES.length);
    SETTING_NAMES.forEach((name, i) => {
      assert.ok(rows[i][0].includes(SETTING_FLAGS[name]), `row ${i} is not ${SETTING_FLAGS[name]}`);
      TOOLS.forEach((tool, j) => {
        const docSays = !rows[i][j + 1].startsWith('—');
        assert.equal(docSays, SUPPORT[tool][name] !== null, `${tool} ${name}`);
      });
    });
  });
});
