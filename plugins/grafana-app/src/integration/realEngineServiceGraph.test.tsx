import { NodeGraphDataFrameFieldNames as F, type DataFrame } from '@grafana/data';
import { CloudOpsDataSource } from '../datasource/datasource';
import { FakeBackendSrv, proxyTo } from '../test/FakeBackendSrv';
import { useEngineProcess } from '../test/startEngineProcess';
import type { JobRecordOf, RcaResult } from '../api/types';
import { DS_URL, datasourceSettings, queryRequest } from '../test/fixtures';

/** The datasource's service-graph query against a real engine's RCA of an injected fault. */

async function waitForJob(url: string, id: string): Promise<JobRecordOf<RcaResult>> {
  for (let i = 0; i < 240; i++) {
    const job = (await (await fetch(`${url}/api/v1/jobs/${id}`)).json()) as JobRecordOf<RcaResult>;
    if (job.status !== 'queued' && job.status !== 'running') {
      return job;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${id} did not finish`);
}

const values = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];

describe('service graph frames against a real engine', () => {
  const engine = useEngineProcess({ cluster: { kind: 'simulated', injectFaults: false } });

  test('a service-graph query returns node and edge frames of the newest RCA, the top candidate reddest', async () => {
    const now = Math.floor(Date.now() / 1000);
    const post = (path: string, body: unknown) =>
      fetch(`${engine.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/demo/faults', { type: 'latency', service: 'payment', startedAt: now - 1200 })).ok).toBe(
      true
    );
    const started = (await (
      await post('/api/v1/rca', { namespace: 'shop', window: { start: now - 1800, end: now } })
    ).json()) as { id: string };
    const job = await waitForJob(engine.url, started.id);
    expect(job.status).toBe('succeeded');
    const rca = job.result!;
    expect(rca.candidates.length).toBeGreaterThan(0);

    new FakeBackendSrv(proxyTo(`${DS_URL}/engine`, engine.url)).install();
    const ds = new CloudOpsDataSource(datasourceSettings());
    const t = Date.now();
    const response = await ds.query(
      queryRequest([{ refId: 'G', kind: 'service-graph', service: '', signal: '', namespace: 'shop' }], t, t)
    );
    expect(response.errors).toBeUndefined();
    const [nodes, edges] = response.data as DataFrame[];
    expect(nodes!.name).toBe('nodes');
    expect(edges!.name).toBe('edges');
    expect(nodes!.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(edges!.meta?.preferredVisualisationType).toBe('nodeGraph');

    // Every service of the engine's graph is a node; every edge is there, caller as source.
    const ids = values(nodes!, F.id) as string[];
    expect(ids).toEqual(expect.arrayContaining(rca.serviceGraph.services));
    const pairs = (values(edges!, F.source) as string[]).map((s, i) => `${s}->${values(edges!, F.target)[i]}`);
    expect(pairs.sort()).toEqual(rca.serviceGraph.edges.map((e) => `${e.from}->${e.to}`).sort());
    expect(new Set(values(edges!, F.id)).size).toBe(pairs.length);

    // mainStat is each service's best candidate score; colour is the share of the top one.
    const ranked = [...rca.candidates].sort((a, b) => b.score - a.score);
    const topIndex = ids.indexOf(ranked[0]!.service);
    expect(values(nodes!, F.mainStat)[topIndex]).toBe(ranked[0]!.score);
    expect(values(nodes!, F.color)[topIndex]).toBe(1);
    const arcs = values(nodes!, `${F.arc}suspect`) as number[];
    const rest = values(nodes!, `${F.arc}rest`) as number[];
    arcs.forEach((a, i) => expect(a + rest[i]!).toBeCloseTo(1));
    const candidateServices = new Set(rca.candidates.map((c) => c.service));
    ids.forEach((id, i) => {
      if (!candidateServices.has(id)) {
        expect(values(nodes!, F.mainStat)[i]).toBeNull();
        expect(arcs[i]).toBe(0);
      }
    });

    // The same frames by the RCA's id.
    const byId = await ds.query(
      queryRequest([{ refId: 'G', kind: 'service-graph', service: '', signal: '', rcaId: rca.id }], t, t)
    );
    expect(values(byId.data[0] as DataFrame, F.id)).toEqual(ids);
  }, 120_000);
});
