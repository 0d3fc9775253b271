import { exploreUrl } from './exploreUrl';

describe('exploreUrl', () => {
  test('encodes the query, the range and the Prometheus datasource into an Explore pane', () => {
    const url = exploreUrl('rate(http_requests_total{service="cart"}[5m])', { from: 1000, to: 2000 }, 'prom-uid');
    expect(url.startsWith('/explore?schemaVersion=1&panes=')).toBe(true);
    const panes = JSON.parse(decodeURIComponent(url.split('panes=')[1]!));
    expect(panes).toEqual({
      a: {
        datasource: 'prom-uid',
        queries: [
          {
            refId: 'A',
            expr: 'rate(http_requests_total{service="cart"}[5m])',
            datasource: { type: 'prometheus', uid: 'prom-uid' },
          },
        ],
        range: { from: '1000', to: '2000' },
      },
    });
  });

  test('leaves the datasource to Explore when none is known', () => {
    const panes = JSON.parse(decodeURIComponent(exploreUrl('up', { from: 'now-1h', to: 'now' }).split('panes=')[1]!));
    expect(panes.a.datasource).toBeUndefined();
    expect(panes.a.queries[0]).toEqual({ refId: 'A', expr: 'up' });
  });
});
