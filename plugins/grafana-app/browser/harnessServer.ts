import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import { readFile } from 'fs/promises';
import path from 'path';
import type { AddressInfo } from 'net';
import { Readable } from 'stream';
import type { ReadableStream as WebReadableStream } from 'stream/web';
import pluginJson from '../src/plugin.json';
import { resolvePluginRoute, type OrgRole, type PluginRoute } from '../src/test/grafanaPluginProxy';

export interface HarnessServerOptions {
  /** The built plugin (dist/). */
  distDir: string;
  /** Where harness.js (and harness.css) were bundled. */
  harnessDir: string;
  pluginId: string;
  engineUrl: string;
  /** The app's secureJsonData: the plugin.json routes pick the token for each call from it. */
  secureJsonData?: Record<string, string>;
  /** The signed-in Grafana user's org role; the routes' reqRole is enforced against it. */
  role: OrgRole;
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * Serves the harness page, the built plugin under Grafana's plugin path, and Grafana's plugin proxy resolved from the
 * real plugin.json routes (method, path, reqRole, token), streaming replies so SSE works as through Grafana.
 */
export async function startHarnessServer(
  options: HarnessServerOptions
): Promise<{ url: string; close(): Promise<void> }> {
  const pluginPrefix = `/public/plugins/${options.pluginId}/`;
  const proxyPrefix = `/api/plugin-proxy/${options.pluginId}/`;

  const serveFile = async (res: ServerResponse, file: string) => {
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse, proxyPath: string, search: string) => {
    const route = resolvePluginRoute(
      pluginJson.routes as PluginRoute[],
      { method: req.method ?? 'GET', proxyPath, role: options.role },
      { jsonData: { engineUrl: options.engineUrl }, secureJsonData: options.secureJsonData ?? {} }
    );
    if (route.status !== 200) {
      res.writeHead(route.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: route.message }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    // An empty secret renders as "Bearer " in Grafana too; the demo engine has auth off, so drop it there.
    for (const [name, value] of Object.entries(route.headers)) {
      if (value.trim() !== 'Bearer') {
        headers[name.toLowerCase()] = value;
      }
    }
    const upstream = await fetch(`${route.url}${search}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
    if (!upstream.body) {
      res.end();
      return;
    }
    Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>).pipe(res);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const handle = async () => {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(
          // Grafana's normalize.css zeroes the body's margin, which @grafana/ui's GlobalStyles (body width 100%)
          // leaves to the host: with the browser's 8 px margin every page was 1,288 px wide in a 1,280 px window.
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Grafana</title>' +
            '<style>body { margin: 0; }</style><link rel="stylesheet" href="/harness.css"></head>' +
            '<body><div id="root"></div><script src="/harness.js"></script></body></html>'
        );
      } else if (url.pathname === '/harness.js' || url.pathname === '/harness.css') {
        await serveFile(res, path.join(options.harnessDir, url.pathname.slice(1)));
      } else if (url.pathname.startsWith(pluginPrefix)) {
        const file = path.normalize(path.join(options.distDir, url.pathname.slice(pluginPrefix.length)));
        await (file.startsWith(options.distDir) ? serveFile(res, file) : Promise.resolve(res.writeHead(403).end()));
      } else if (url.pathname.startsWith(proxyPrefix)) {
        await proxy(req, res, url.pathname.slice(proxyPrefix.length), url.search);
      } else {
        res.writeHead(404).end();
      }
    };
    handle().catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
