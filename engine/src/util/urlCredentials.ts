/**
 * A URL's userinfo (`https://user:pass@prometheus:9090`, how Prometheus' and InfluxDB's own docs show basic auth)
 * turned into what `fetch` accepts: the URL without it and an `Authorization: Basic` header. Node's fetch refuses a
 * URL with credentials ("Request cannot be constructed from a URL that includes credentials"), so such a
 * `metrics.url` failed every query, and the error message carried the password into RCA results and logs.
 */
export function splitUrlCredentials(url: URL): { url: string; headers: Record<string, string> } {
  if (!url.username && !url.password) return { url: url.toString(), headers: {} };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const bare = new URL(url.toString());
  bare.username = '';
  bare.password = '';
  return {
    url: bare.toString(),
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  };
}

/**
 * How the engine calls a configured source or webhook: no redirects. Node's fetch follows one to another host and
 * sends the configured headers along (it drops only Authorization): `x-api-key` and `X-Scope-OrgID` reached a
 * second host in SEC's check. A source that redirects fails with fetch's "unexpected redirect"; configure the URL it
 * redirects to.
 */
export const NO_REDIRECTS = { redirect: 'error' } as const satisfies RequestInit;
