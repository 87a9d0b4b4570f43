import * as assert from 'node:assert/strict';
import { AnsiLineBuffer, stripAnsi } from '../../../src/presentation/ansi';
import { lastProgress } from '../../../src/presentation/progress';
import { fixtureText } from './replay';

const ESC = '\u001b';

describe('presentation: console text for the output channel', () => {
  it('strips colours, cursor moves and titles, keeping the text', () => {
    const colored = `${ESC}[32mINFO: ${ESC}[0mBuild completed successfully${ESC}[1A${ESC}[K\n`;
    assert.equal(stripAnsi(colored), 'INFO: Build completed successfully\n');
    assert.equal(stripAnsi(`${ESC}]0;bazel${ESC}\\done`), 'done');
  });

  it('keeps the last version of a line rewritten with carriage returns', () => {
    assert.equal(stripAnsi('[1 / 9] a\r[2 / 9] b\r\nnext'), '[2 / 9] b\nnext');
  });

  it("leaves Bazel's plain (--color=no) console byte-identical", () => {
    const plain = fixtureText('01-clean-build', 'console.stderr.txt');
    assert.equal(stripAnsi(plain.replace(/\r/g, '')), plain.replace(/\r/g, ''));
  });

  it('never splits an escape sequence cut between two chunks', () => {
    const lines = new AnsiLineBuffer();
    assert.equal(lines.push(`${ESC}[3`), '');
    assert.equal(lines.push(`1mERROR${ESC}[0m: x\npartial`), 'ERROR: x\n');
    assert.equal(lines.flush(), 'partial');
  });

  it("reads the last [done / total] counter of Bazel's progress", () => {
    const console = fixtureText('01-clean-build', 'console.stderr.txt');
    const all = [...console.matchAll(/\[([\d,]+) \/ ([\d,]+)\]/g)];
    assert.ok(all.length > 0, 'the recording has progress lines');
    const last = all[all.length - 1];
    assert.deepEqual(lastProgress(console), { done: Number(last[1]), total: Number(last[2]) });
    assert.deepEqual(lastProgress('[1,234 / 5,678] Compiling'), { done: 1234, total: 5678 });
    assert.equal(lastProgress('INFO: Build completed'), null);
  });
});
