// Group by location and one section per workspace: the vscode-free halves of the Builds tree.
import * as assert from 'node:assert/strict';
import { packageAndName, ruleLine } from '../../../src/presentation/build-file';
import { groupActionsByLocation } from '../../../src/presentation/grouping';
import { LOCATION_KEYS, locationKeyOf } from '../../../src/presentation/location-style';
import { locationGroupRow, workspaceSectionRow } from '../../../src/presentation/rows';
import { sectionOf, workspaceSections } from '../../../src/presentation/workspace-sections';
import { replay } from './replay';

describe('presentation: group by location', () => {
  it('puts every action under where it ran, in the legend order, with no empty group', async () => {
    const { model, id } = await replay('03-disk-cache-after-clean');
    const actions = model.actions(id);
    const groups = groupActionsByLocation(actions, 'all');
    assert.ok(groups.has('disk-cache'), [...groups.keys()].join(', '));
    assert.equal([...groups.values()].flat().length, actions.length);
    for (const [key, list] of groups) {
      assert.ok(list.length > 0);
      for (const a of list) assert.equal(locationKeyOf(a), key);
    }
    const order = [...groups.keys()].map((k) => LOCATION_KEYS.indexOf(k));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    const row = locationGroupRow('disk-cache', groups.get('disk-cache') ?? []);
    assert.equal(row.label, 'disk cache hit');
    assert.match(row.description, /^\d+ actions?/);
    assert.equal(row.icon.icon, 'database');
    model.dispose();
  });

  it('applies the filters first: a fully cached build has no misses, a failing one a failed group', async () => {
    const cached = await replay('03-disk-cache-after-clean');
    assert.equal(groupActionsByLocation(cached.model.actions(cached.id), 'misses').size, 0);
    const failing = await replay('07-failing-build');
    const failures = groupActionsByLocation(failing.model.actions(failing.id), 'failures');
    assert.deepEqual([...failures.keys()], ['failed']);
    cached.model.dispose();
    failing.model.dispose();
  });
});

describe('presentation: workspace sections (multi-root)', () => {
  const roots = ['/w/app', '/w/app/nested', '/w/lib'];

  it('puts a build under the workspace Bazel reported, a nested workspace in its own section', () => {
    assert.equal(sectionOf('/w/app', roots), '/w/app');
    assert.equal(sectionOf('/w/app/nested', roots), '/w/app/nested');
    // Bazel reports the nearest workspace root: a build from deeper in /w/app is one of its own.
    assert.equal(sectionOf('/w/app/tools/ws', roots), '/w/app/tools/ws');
    assert.equal(sectionOf('/w/lib/', roots), '/w/lib');
    // Bazel has not named the workspace yet: the first root, never hidden.
    assert.equal(sectionOf(null, roots), '/w/app');
    assert.equal(sectionOf(null, []), null);
  });

  it('puts every invocation in exactly one section, sections in the roots order', () => {
    const inv = (id: string, dir: string | null) => ({ id, workspaceDirectory: dir });
    const sections = workspaceSections(
      [
        inv('a', '/w/lib'),
        inv('b', '/w/app/nested'),
        inv('c', '/w/app'),
        inv('d', null),
        inv('e', '/elsewhere'),
        inv('f', '/w/app/tools/ws'),
      ],
      roots,
    );
    assert.deepEqual(
      [...sections].map(([root, list]) => [root, list.map((i) => i.id)]),
      [
        ['/w/app', ['c', 'd']],
        ['/w/app/nested', ['b']],
        ['/w/lib', ['a']],
        ['/elsewhere', ['e']],
        ['/w/app/tools/ws', ['f']],
      ],
    );
    const row = workspaceSectionRow('/w/app/nested', []);
    assert.equal(row.label, 'nested');
    assert.equal(row.contextValue, 'rbl.workspace');
  });
});

describe('presentation: where a target is declared', () => {
  it('finds the rule line of a target in its BUILD file', () => {
    const text = [
      '# comment',
      'genrule(',
      '    name = "broken",',
      ')',
      '',
      'sh_test(',
      '    srcs = ["a.sh"],',
      "    name = 'pass_test',",
      ')',
    ].join('\n');
    assert.equal(ruleLine(text, 'broken'), 1);
    assert.equal(ruleLine(text, 'pass_test'), 5);
    assert.equal(ruleLine(text, 'missing'), null);
    assert.equal(ruleLine(text, 'broke'), null, 'a prefix of a name is not the name');
    assert.deepEqual(packageAndName('//fail:broken'), { pkg: 'fail', name: 'broken' });
    assert.deepEqual(packageAndName('//cc/lib'), { pkg: 'cc/lib', name: 'lib' });
    assert.equal(packageAndName('@other//x:y'), null, 'another repository has no BUILD file here');
  });
});
