/**
 * What the form says about the auth header's secret. It compares the value the tool reads (its
 * secrets file, the source of truth, read by the host) with the copy in VS Code's
 * SecretStorage; the webview only ever gets this state and its sentence, never a value.
 */
export type SecretState = 'not-set' | 'set' | 'differs' | 'file-only' | 'editor-only';

export function secretState(inFile: string | undefined, inEditor: string | undefined): SecretState {
  if (inFile === undefined && inEditor === undefined) return 'not-set';
  if (inFile === undefined) return 'editor-only';
  if (inEditor === undefined) return 'file-only';
  return inFile === inEditor ? 'set' : 'differs';
}

export function secretStateText(state: SecretState, headerName: string): string {
  const name = headerName === '' ? 'the header' : headerName;
  switch (state) {
    case 'not-set':
      return `No secret is set for ${name}.`;
    case 'set':
      return `A secret is set for ${name}. Leave the value empty to keep it.`;
    case 'differs':
      return `The secret for ${name} in the secrets file differs from the one this editor stored. Enter it again to make them match.`;
    case 'file-only':
      return `A secret for ${name} is set in the secrets file (not stored in this editor). Leave the value empty to keep it.`;
    case 'editor-only':
      return `This editor has a secret for ${name}, but no file the tool reads has it. Enter it again and Apply.`;
  }
}

/** The SecretStorage key of one workspace's and tool's headers (a JSON object name → value). */
export function secretStorageKey(tool: string, workspace: string): string {
  return `remoteBuildLens.remoteHeaders:${tool}:${workspace}`;
}

/** Reads the stored JSON map; anything malformed counts as nothing stored. */
export function parseStoredHeaders(json: string | undefined): Record<string, string> {
  if (json === undefined) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}
