import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import type { EngineConfigInput } from '../../src/config/schema.js';
import { operatorAndViewerConfig } from '../support/index.js';
import { startInfluxDB, type InfluxDBServer } from '../support/startInfluxDB.js';

const VIEWER = 'viewer-token-0123456789';

/**
 * A viewer's InfluxQL goes to InfluxDB under the source's credentials. It went as `POST /query`, on which InfluxDB
 * runs any statement: a viewer token dropped the database (`DROP DATABASE telegraf` answered 400 "returned no series"
 * after it had run). Only reads may reach it. Real influxd (Debian's 1.x) and a real engine.
 */
describe('InfluxDB source: a viewer reads, never writes', () => {
  let influx: InfluxDBServer;
  let server: RunningServer;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    influx = await startInfluxDB();
    await influx.createDatabase('telegraf');
    await influx.write('telegraf', [
      `cpu,service=cart usage=1 ${now - 120}`,
      `cpu,service=cart usage=2 ${now - 60}`,
    ]);
    server = await startServer({
      config: {
        ...operatorAndViewerConfig(
          { name: 'operator', token: 'operator-token-0123456789' },
          { name: 'viewer', token: VIEWER },
        ),
        metrics: {
          kind: 'synthetic',
          sources: { influx: { kind: 'influxdb', url: influx.url, database: 'telegraf' } },
        },
      } as EngineConfigInput,
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await influx?.stop();
  });

  const query = (q: string) =>
    fetch(`${server.url}/api/v1/metrics/query?${new URLSearchParams({ source: 'influx', query: q })}`, {
      headers: { authorization: `Bearer ${VIEWER}` },
    });

  async function influxShows(q: string): Promise<string> {
    const response = await fetch(`${influx.url}/query?${new URLSearchParams({ q, db: 'telegraf' })}`);
    return JSON.stringify(await response.json());
  }

  it.each([
    'DROP DATABASE telegraf',
    'DROP MEASUREMENT cpu',
    'DELETE FROM cpu',
    `CREATE USER evil WITH PASSWORD 'evil' WITH ALL PRIVILEGES`,
    'SELECT usage INTO copied FROM cpu WHERE $timeFilter',
    'SELECT usage FROM cpu WHERE $timeFilter; DROP DATABASE telegraf',
  ])('refuses %s and InfluxDB keeps its data', async (statement) => {
    const response = await query(statement);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { issues: Array<{ field: string }> } };
    expect(body.error.issues.map((i) => i.field)).toEqual(['query']);
    expect(await influxShows('SHOW DATABASES')).toContain('"telegraf"');
    const measurements = await influxShows('SHOW MEASUREMENTS');
    expect(measurements).toContain('"cpu"');
    expect(measurements).not.toContain('copied');
    expect(await influxShows('SHOW USERS')).not.toContain('evil');
  });

  it.each(['/* the week */ DROP DATABASE telegraf', '-- the week\nDROP DATABASE telegraf'])(
    'refuses a write behind a comment: %s',
    async (statement) => {
      // InfluxQL skips comments: the statement is still DROP DATABASE (it ran, over GET as over POST).
      const response = await query(statement);
      expect(response.status).toBe(400);
      expect(await influxShows('SHOW DATABASES')).toContain('"telegraf"');
    },
  );

  it.each([
    'SELECT last("usage") FROM "cpu" WHERE $timeFilter GROUP BY "service"',
    // `;` and INTO inside a string, an identifier or a regex are text, not statements.
    `SELECT last("usage") FROM "cpu" WHERE "service" != 'x; DROP DATABASE telegraf' AND $timeFilter GROUP BY "service"`,
    `SELECT last("usage") AS "into" FROM "cpu" WHERE "service" =~ /^(cart|into)$/ AND $timeFilter GROUP BY "service";`,
  ])('still answers %s', async (select) => {
    const response = await query(select);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ samples: [{ labels: { service: 'cart' }, value: 2 }] });
  });
});
