/**
 * Runs in a second process (forked by overload.bench.ts) so the heavy workload's own JSON parsing does not delay the
 * /healthz probe in the parent. Receives the engine URL, tokens and a duration; replies with status counts.
 */
interface LoadMessage {
  url: string;
  operator: string;
  admin: string;
  durationSeconds: number;
  ingestPath: string;
  /** Which parts of the workload run: any of range, window, rca, ingest. */
  mix: string[];
}

export interface LoadReport {
  requests: number;
  byStatus: Record<string, number>;
  networkErrors: number;
  rcaAccepted: number;
  rcaRejected: number;
}

const DAY = 86_400;
// Heaviest query the limits admit: the full 92-day span at the most points (11,000), and the longest range window.
const MAX_SPAN = 92 * DAY;
const MAX_STEP = Math.ceil(MAX_SPAN / 10_999);

process.once('message', (message: LoadMessage) => {
  void run(message).then(
    (report) => process.send?.(report),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});

async function run(m: LoadMessage): Promise<LoadReport> {
  const report: LoadReport = { requests: 0, byStatus: {}, networkErrors: 0, rcaAccepted: 0, rcaRejected: 0 };
  const until = Date.now() + m.durationSeconds * 1000;
  const send = async (method: string, path: string, token: string, body?: unknown): Promise<number> => {
    report.requests++;
    try {
      const response = await fetch(`${m.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      await response.arrayBuffer();
      report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
      return response.status;
    } catch {
      report.networkErrors++;
      return 0;
    }
  };
  const loop = async (fn: () => Promise<unknown>, pauseMs = 0) => {
    while (Date.now() < until) {
      await fn();
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const now = () => Math.floor(Date.now() / 1000);
  const rangeQuery = () => {
    const end = now();
    const q = encodeURIComponent('sum by (service) (rate(http_requests_total[5m]))');
    return send(
      'GET',
      `/api/v1/metrics/query_range?query=${q}&start=${end - MAX_SPAN}&end=${end}&step=${MAX_STEP}`,
      m.operator,
    );
  };
  const windowQuery = () =>
    send(
      'GET',
      `/api/v1/metrics/query?query=${encodeURIComponent('sum by (service) (rate(http_requests_total[31d]))')}`,
      m.operator,
    );
  const rca = async () => {
    const status = await send('POST', '/api/v1/rca', m.operator, {
      namespace: 'shop',
      window: { start: now() - 900, end: now() },
    });
    if (status === 202) report.rcaAccepted++;
    if (status === 429) report.rcaRejected++;
  };
  const ingest = () => send('POST', '/api/v1/assistant/ingest', m.admin, { paths: [m.ingestPath] });
  const on = (part: string) => m.mix.includes(part);
  await Promise.all([
    ...(on('range') ? Array.from({ length: 3 }, () => loop(rangeQuery)) : []),
    ...(on('window') ? [loop(windowQuery)] : []),
    // Faster than RCAs finish, so the RCA queue stays at its admission limit and the excess gets 429.
    ...(on('rca') ? Array.from({ length: 4 }, () => loop(rca, 100)) : []),
    ...(on('ingest') ? [loop(ingest, 2000)] : []),
  ]);
  return report;
}
