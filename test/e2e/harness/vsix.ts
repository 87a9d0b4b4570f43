// Installs a packaged .vsix into an extensions dir with code-server's own CLI (no server needed).
import { execFileSync } from 'node:child_process';
import { rigEnv } from './code-server';
import type { Rig } from './rig';

export function installVsix(rig: Rig, vsix: string, extensionsDir: string): string {
  return execFileSync(
    process.execPath,
    [rig.codeServerEntry, `--extensions-dir=${extensionsDir}`, '--install-extension', vsix],
    { env: { ...process.env, ...rigEnv(rig) }, encoding: 'utf8', timeout: 120_000 },
  );
}
