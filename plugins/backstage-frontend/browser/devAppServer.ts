import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface DevAppServer {
  url: string;
  /** Sets the frontend config served in index.html (Backstage reads it from `<script type="backstage.io/config">`). */
  setConfig(data: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * Serves the built dev app: static files, and index.html for every other path (client-side routes), with the
 * frontend config replaced by the test's (the real ports), the way Backstage's app backend injects runtime config.
 */
export async function startDevAppServer(dist: string): Promise<DevAppServer> {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  let config: Record<string, unknown> = {};
  const indexHtml = () =>
    html.replace(
      /<script type="backstage.io\/config">[\s\S]*?<\/script>/,
      `<script type="backstage.io/config">${JSON.stringify([{ context: 'browser-test', data: config }])}</script>`,
    );
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://dev-app').pathname);
    const file = path.normalize(path.join(dist, pathname));
    const isAsset = file.startsWith(dist + path.sep) && path.extname(file) !== '' && !file.endsWith('.html');
    const serve = async () => {
      if (isAsset) {
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
          res.end(body);
        } catch {
          res.writeHead(404).end();
        }
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(indexHtml());
    };
    serve().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setConfig: (data) => {
      config = data;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
