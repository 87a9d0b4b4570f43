// Supply chain (issue 10): the VSIX holds only what the extension needs at run time. `vsce ls`
// lists exactly what `npm run package` would pack (it applies .vscodeignore), in about 2 s.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: where package.json names this extension, above us or the cwd. */
function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let d = start; d !== path.dirname(d); d = path.dirname(d)) {
      const pkg = path.join(d, 'package.json');
      if (fs.existsSync(pkg) && fs.readFileSync(pkg, 'utf8').includes('"remote-build-lens"'))
        return d;
    }
  }
  throw new Error(`no remote-build-lens package.json above ${__dirname} or ${process.cwd()}`);
}

/** What may ship: the manifest, its docs and icons, the webviews' scripts and styles, and the webpack bundle. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE(\.md|\.txt)?$/,
  /^media\/[\w.-]+\.(png|svg|css|js)$/,
  /^dist\/[\w.-]+\.js$/,
];

describe('VSIX contents', function () {
  this.timeout(120_000);

  it('vsce ls lists only the manifest, docs, icons, webview assets and the bundle', () => {
    const root = repoRoot();
    const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
    assert.ok(fs.existsSync(vsce), `vsce is missing: ${vsce} (npm install first)`);
    const r = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    assert.ok(files.includes('package.json'), r.stdout);
    assert.ok(
      files.some((f) => f.startsWith('dist/')),
      `no bundle listed:\n${r.stdout}`,
    );
    // The webviews load their scripts and styles from media/ at run time: all of them must ship.
    const media = fs.readdirSync(path.join(root, 'media')).map((f) => `media/${f}`);
    const missing = media.filter((f) => !files.includes(f));
    assert.deepEqual(missing, [], 'webview assets left out of the VSIX');
    // So do the bundle's chunks: the engine loads from them with the first build.
    const chunks = fs
      .readdirSync(path.join(root, 'dist'))
      .filter((f) => /^extension(-[\w]+)?\.js$/.test(f))
      .map((f) => `dist/${f}`);
    assert.ok(chunks.length > 1, `no bundle chunks in dist/: ${chunks.join(', ')}`);
    assert.deepEqual(
      chunks.filter((f) => !files.includes(f)),
      [],
      'bundle chunks left out of the VSIX',
    );
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], 'files the extension does not need at run time');
  });
});
