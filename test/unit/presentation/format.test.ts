import * as assert from 'node:assert/strict';
import {
  baseName,
  formatDuration,
  formatPercent,
  joinParts,
  shortLabel,
} from '../../../src/presentation/format';

describe('presentation: formatters', () => {
  it('formats durations at the scale a reader expects', () => {
    assert.equal(formatDuration(null), '—');
    assert.equal(formatDuration(41), '41 ms');
    assert.equal(formatDuration(1234), '1.2 s');
    assert.equal(formatDuration(125_000), '2 m 05 s');
  });

  it('never rounds a rate up to 100%', () => {
    assert.equal(formatPercent(0.999), '99%');
    assert.equal(formatPercent(1), '100%');
    assert.equal(formatPercent(0.81), '81%');
  });

  it('shortens labels the way Bazel abbreviates them', () => {
    assert.equal(shortLabel('//gen:step1'), 'gen:step1');
    assert.equal(shortLabel('//cc/hello:hello'), 'cc/hello');
    assert.equal(shortLabel('//:root'), ':root');
    assert.equal(shortLabel('@repo//pkg:pkg'), '@repo//pkg');
    assert.equal(shortLabel('@repo//pkg:lib'), '@repo//pkg:lib');
  });

  it('takes the file name of an output path and joins description parts', () => {
    assert.equal(baseName('bazel-out/k8-fastbuild/bin/gen/step1.txt'), 'step1.txt');
    assert.equal(joinParts(['Genrule', null, '', '41 ms']), 'Genrule · 41 ms');
  });
});
