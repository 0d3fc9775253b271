import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '@ai-cloudops/engine-client';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import type { EngineConfigInput } from '../../src/config/schema.js';
import { operatorAndViewerConfig, sleep } from '../support/index.js';

const OPERATOR = 'operator-token-0123456789';

// Alert text comes from whoever controls a scraped label or an annotation template: `<!channel>` paged a whole Slack
// channel and `<https://evil.example|…>` rendered as a link under the engine's name (Slack parses mrkdwn and `text`).
const SUMMARY = '<!channel> disk full & <https://evil.example/login|Reset your password>';
const SERVICE = 'cart<@U024BE7LH>';

describe('Slack notifications', () => {
  let server: RunningServer;
  let target: Server;
  const received: Array<{ text: string; blocks: Array<{ text?: { type: string; text: string } }> }> = [];

  beforeAll(async () => {
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as (typeof received)[number]);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/slack`;
    server = await startServer({
      config: {
        ...operatorAndViewerConfig(
          { name: 'alertmanager', token: OPERATOR },
          { name: 'viewer', token: 'viewer-token-0123456789' },
        ),
        alerts: {
          autoRca: false,
          pagingRules: [{ matchers: [], page: true }],
          notify: { webhooks: [{ url, format: 'slack' }] },
        },
      } as EngineConfigInput,
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    target?.close();
  });

  it('carries alert text as text: no mentions, links or entities from an alert', async () => {
    const client = new EngineClient({ baseUrl: server.url, token: OPERATOR });
    await client.sendAlerts([
      {
        labels: { alertname: 'Disk<!here>Full', severity: 'critical', namespace: 'shop', service: SERVICE },
        annotations: { summary: SUMMARY },
      },
    ]);
    for (let i = 0; i < 100 && received.length === 0; i++) await sleep(50);
    expect(received).toHaveLength(1);
    const message = received[0]!;
    // The header is plain_text, which Slack shows as written (no mentions or links), so it keeps the alert's text.
    const mrkdwn = [
      message.text,
      ...message.blocks.flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : [])),
    ];
    expect(mrkdwn).toHaveLength(2);
    for (const text of mrkdwn) {
      // Slack's three control characters are escaped; nothing else in a mrkdwn field can open a mention or a link.
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(message.blocks[1]!.text!.text).toContain(
      '&lt;!channel&gt; disk full &amp; &lt;https://evil.example/login|Reset your password&gt;',
    );
    expect(message.text).toContain('cart&lt;@U024BE7LH&gt;');
  });
});
