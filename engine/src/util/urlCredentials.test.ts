import { describe, expect, it } from 'vitest';
import { splitUrlCredentials } from './urlCredentials.js';

describe('splitUrlCredentials', () => {
  it('moves user and password into a Basic header, decoded, and leaves a URL fetch accepts', () => {
    const { url, headers } = splitUrlCredentials(new URL('http://prom%40team:p%3Ass@127.0.0.1:9090/prefix'));
    expect(url).toBe('http://127.0.0.1:9090/prefix');
    expect(headers).toEqual({ authorization: `Basic ${Buffer.from('prom@team:p:ss').toString('base64')}` });
    expect(() => new Request(url)).not.toThrow();
  });

  it('changes nothing without credentials', () => {
    expect(splitUrlCredentials(new URL('https://prometheus:9090'))).toEqual({
      url: 'https://prometheus:9090/',
      headers: {},
    });
  });
});
