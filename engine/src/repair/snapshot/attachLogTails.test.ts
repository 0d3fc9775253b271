import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../sim/SimulatedCluster.js';
import { scanSnapshot } from '../detectors/index.js';
import { attachLogTails, clientNodeLogReader } from './attachLogTails.js';
import { readClusterSnapshot } from './readClusterSnapshot.js';

/** The live simulated shop: a crash-loop fault is found through client-node, with the crashed run's log tail. */
describe('attachLogTails on the simulated cluster', () => {
  let cluster: SimulatedCluster;

  beforeAll(async () => {
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
    cluster.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart' });
    cluster.step(8);
  });
  afterAll(() => cluster?.stop());

  it('finds the crash loop on the cart Deployment and attaches its previous-run log lines', async () => {
    const { snapshot, errors } = await readClusterSnapshot(cluster.kubeConfig());
    expect(errors).toEqual([]);
    const findings = scanSnapshot(snapshot, new Date());
    const crash = findings.find((f) => f.type === 'CrashLoopBackOff');
    expect(crash?.object).toMatchObject({ kind: 'Deployment', namespace: 'shop', name: 'cart' });
    expect(crash?.owners.map((o) => o.kind)).toEqual(['ReplicaSet', 'Deployment']);
    const [withLogs] = await attachLogTails([crash!], clientNodeLogReader(cluster.kubeConfig()));
    expect(withLogs!.evidence.logTail.length).toBeGreaterThan(0);
    expect(withLogs!.evidence.logTail.join('\n')).toMatch(/panic|fatal|error/i);
    expect(crash!.evidence.logTail).toEqual([]);
  }, 60_000);

  it('redacts secrets in the lines it attaches', async () => {
    const { snapshot } = await readClusterSnapshot(cluster.kubeConfig());
    const crash = scanSnapshot(snapshot, new Date()).find((f) => f.type === 'CrashLoopBackOff')!;
    const lines =
      'connecting to postgres://cart:Hunter2pw@db:5432/cart\nfatal: DB_PASSWORD=Hunter2pw rejected\n';
    const [withLogs] = await attachLogTails([crash], async () => lines);
    expect(withLogs!.evidence.logTail).toHaveLength(2);
    expect(withLogs!.evidence.logTail.join('\n')).not.toContain('Hunter2pw');
    expect(withLogs!.evidence.logTail[1]).toBe('fatal: DB_PASSWORD=[REDACTED] rejected');
  }, 60_000);

  it('leaves the tail empty when the pod is gone', async () => {
    const finding = {
      ...scanSnapshot((await readClusterSnapshot(cluster.kubeConfig())).snapshot, new Date()).find(
        (f) => f.type === 'CrashLoopBackOff',
      )!,
    };
    finding.details = { ...finding.details, pods: ['no-such-pod'] };
    const [same] = await attachLogTails([finding], clientNodeLogReader(cluster.kubeConfig()));
    expect(same!.evidence.logTail).toEqual([]);
  }, 60_000);
});
