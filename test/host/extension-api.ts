// Gets our extension, activated, in the extension host. Tests start before activation events
// fire, so activating explicitly is the only reliable order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RemoteBuildLensApi } from '../../src/extension';

export const EXTENSION_ID = 'remote-build-lens.remote-build-lens';

export async function activatedApi(): Promise<RemoteBuildLensApi> {
  const extension = vscode.extensions.getExtension<RemoteBuildLensApi>(EXTENSION_ID);
  if (extension === undefined) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Writes a measurement where the driver picks it up (RBL_HOST_RESULTS_DIR), for the report. */
export function report(name: string, value: unknown): void {
  const dir = process.env.RBL_HOST_RESULTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(value));
}
