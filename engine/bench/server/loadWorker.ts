// autocannon ships no type declarations; the two fields read below are typed at the use site.
// @ts-expect-error -- untyped module
import autocannon from 'autocannon';

/**
 * Runs in a second process (forked by server.bench.ts) so the load generator does not share the event loop it is
 * measuring. Receives `{ url, connections, durationSeconds, headers }`, replies with the autocannon summary.
 */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

process.once(
  'message',
  (message: {
    url: string;
    connections: number;
    durationSeconds: number;
    headers: Record<string, string>;
  }) => {
    autocannon(
      {
        url: message.url,
        connections: message.connections,
        duration: message.durationSeconds,
        headers: message.headers,
      },
      (error: unknown, result: AutocannonResult) => {
        if (error) {
          process.send?.({ error: String(error) });
        } else {
          process.send?.({
            requestsPerSecond: result.requests.average,
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            errors: result.errors + result.non2xx,
            total: result.requests.total,
          });
        }
        process.exit(0);
      },
    );
  },
);
