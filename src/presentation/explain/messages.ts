/** The one message the report page sends: open a source file the report links. */
export interface OpenFileMessage {
  type: 'open';
  path: string;
}

/**
 * Checks a message from the webview. The page is ours, but what it shows came from a build, so
 * a message is trusted only when it has the expected shape and names a path the report itself
 * linked; anything else (unknown type, extra kinds, `../` paths, absolute paths) is null and
 * ignored.
 */
export function parseReportMessage(
  value: unknown,
  linked: ReadonlySet<string>,
): OpenFileMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, path } = value as Record<string, unknown>;
  if (type !== 'open' || typeof path !== 'string' || !linked.has(path)) return null;
  return { type, path };
}
