import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { EngineError } from '../../errors.js';

export interface TextFile {
  text: string;
  /** sha256 of the bytes, for incremental re-ingest. */
  hash: string;
}

// The size is taken from the open descriptor and at most maxBytes + 1 bytes are read, so a file that grows (or a
// device such as /dev/zero reached some other way) never makes the engine read more than the limit.
// Callers pass a real (symlink-free) path; O_NOFOLLOW refuses it if it was swapped for a link after that check.
function readBounded(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new EngineError('INVALID_INPUT', 'not a regular file');
    if (stat.size > maxBytes) {
      throw new EngineError(
        'INVALID_INPUT',
        `file is ${stat.size} bytes, over the ${maxBytes}-byte limit (assistant.ingest.maxFileBytes)`,
      );
    }
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes)
      throw new EngineError(
        'INVALID_INPUT',
        `file is over the ${maxBytes}-byte limit (assistant.ingest.maxFileBytes)`,
      );
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a document, refusing what is not one: over `maxBytes`, binary (a NUL byte in the first 8 KiB, the sniff git
 * and grep use), or not valid UTF-8 (a strict decoder, so a legitimate U+FFFD in a page is not mistaken for damage).
 */
export function readTextFile(path: string, maxBytes: number): TextFile {
  const buffer = readBounded(path, maxBytes);
  if (buffer.subarray(0, 8192).includes(0))
    throw new EngineError('INVALID_INPUT', 'binary file (contains NUL bytes)');
  let text: string;
  try {
    text = utf8.decode(buffer);
  } catch {
    throw new EngineError('INVALID_INPUT', 'not valid UTF-8 text');
  }
  return { text, hash: createHash('sha256').update(buffer).digest('hex') };
}
