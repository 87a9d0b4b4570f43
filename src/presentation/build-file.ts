/**
 * Where a target is declared: its package's BUILD file and the line of the rule call, so "Reveal
 * BUILD File" puts the cursor on the rule (Bazel's own `ERROR: path:line:col` points there too).
 */
import * as path from 'node:path';

/** The package directory and target name of a label in the main repository, or null. */
export function packageAndName(label: string): { pkg: string; name: string } | null {
  const m = /^(?:@@?)?\/\/([^:]*)(?::(.+))?$/.exec(label);
  if (m === null) return null;
  const pkg = m[1];
  return { pkg, name: m[2] ?? path.posix.basename(pkg) };
}

/** 0-based line of the rule call that declares `name = "<name>"` in a BUILD file, or null. */
export function ruleLine(text: string, name: string): number | null {
  const lines = text.split(/\r?\n/);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const declares = new RegExp(`^\\s*name\\s*=\\s*["']${escaped}["']`);
  const at = lines.findIndex((l) => declares.test(l));
  if (at < 0) return null;
  // The call that holds the name attribute: the nearest line above that opens one (`genrule(`).
  for (let i = at; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*\s*\(/.test(lines[i])) return i;
  }
  return at;
}
