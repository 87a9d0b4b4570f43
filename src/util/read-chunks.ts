import { open } from 'node:fs/promises';
import { InputError } from './errors';

/** Large enough to amortise the read calls, small enough to keep memory flat on huge logs. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a file as a sequence of fresh chunks (never a reused buffer, so consumers may keep
 * views into them). An unreadable file is an InputError naming it.
 */
export async function* readChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read the file: ${describeFsError(err)}`, path);
  }
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(chunkBytes);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, chunkBytes, null));
      } catch (err) {
        throw new InputError(`cannot read the file: ${describeFsError(err)}`, path);
      }
      if (bytesRead === 0) return;
      yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Reads up to `bytes` bytes from the start of a file, and its size, for format detection. */
export async function readHead(
  path: string,
  bytes = 64 * 1024,
): Promise<{ head: Buffer; size: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read the file: ${describeFsError(err)}`, path);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputError('not a regular file', path);
    const size = stats.size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read the file: ${describeFsError(err)}`, path);
  } finally {
    await handle.close();
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}
