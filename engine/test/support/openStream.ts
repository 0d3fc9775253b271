import { request as httpRequest, type ClientRequest } from 'node:http';

export interface OpenedStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The request, to close the stream with `req.destroy()`. */
  req: ClientRequest;
  /** The whole body once the server ends the stream (or the connection drops). */
  ended: Promise<string>;
}

/**
 * Opens an event stream with its own connection (no agent, so no pooling hides a held socket) and resolves at its
 * first bytes, or with the whole body of a refusal.
 */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenedStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const ended = new Promise<string>((done) => {
        res.on('end', () => done(body));
        res.on('error', () => done(body));
      });
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.statusCode === 200) resolve({ status: 200, headers: res.headers, body, req, ended });
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, req, ended }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
