import { EngineError } from '../errors.js';
import type { StoreWrite } from './Store.js';

/** Rules both stores enforce the same way, so a caller sees one behaviour whichever store is configured. */
export function assertKey(key: string, field = 'key'): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new EngineError('INVALID_INPUT', `store ${field} must be a non-empty string`, {
      issues: [{ field, message: 'must be a non-empty string' }],
    });
  }
}

export function ttlMillis(ttlSeconds: number | undefined, field = 'ttlSeconds'): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new EngineError(
      'INVALID_INPUT',
      `store ${field} must be a positive number of seconds, got ${ttlSeconds}`,
      {
        issues: [{ field, message: 'must be a positive number' }],
      },
    );
  }
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

export function assertWrites(ops: StoreWrite[]): void {
  ops.forEach((op, i) => {
    assertKey(op.key, `batch.${i}.key`);
    if (op.op === 'set' || op.op === 'setBuffer') ttlMillis(op.ttlSeconds, `batch.${i}.ttlSeconds`);
  });
}

export function changedKey(key: string): EngineError {
  return new EngineError(
    'CONFLICT',
    `store key "${key}" does not hold the value the batch expected: nothing was written`,
  );
}

export function wrongType(key: string, holds: string, wanted: string): EngineError {
  return new EngineError('CONFLICT', `store key "${key}" holds a ${holds}, not a ${wanted}`);
}

/** Redis' inclusive, negative-from-the-end list indices as a half-open [from, to) over a list of `length`. */
export function listWindow(length: number, start: number, stop: number): [number, number] {
  let from = start < 0 ? length + start : start;
  let to = stop < 0 ? length + stop : stop;
  if (from < 0) from = 0;
  if (to >= length) to = length - 1;
  if (from > to || from >= length) return [0, 0];
  return [from, to + 1];
}
