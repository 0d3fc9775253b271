import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { parseRcaRequest } from './schemas.js';

describe('RCA request parsing', () => {
  it('accepts ISO and unix times and an empty request', () => {
    expect(parseRcaRequest({ window: { start: '2024-01-01T00:00:00Z', end: 1704067800 } }).window).toEqual({
      start: 1704067200,
      end: 1704067800,
    });
    expect(parseRcaRequest(undefined)).toEqual({});
  });

  it('names the offending field in an EngineError', () => {
    const bad = (input: unknown) => {
      try {
        parseRcaRequest(input);
      } catch (error) {
        return error as EngineError;
      }
      throw new Error('expected an error');
    };
    const e1 = bad({ window: { start: 'yesterday', end: 5 } });
    expect(e1.code).toBe('INVALID_INPUT');
    expect(e1.issues.map((i) => i.field)).toContain('body.window.start');
    const e2 = bad({ window: { start: 10, end: 5 } });
    expect(e2.issues.map((i) => i.field)).toContain('body.window.end');
    const e3 = bad({ target: { signal: 'latency' } });
    expect(e3.issues.map((i) => i.field)).toContain('body.target.service');
  });
});
