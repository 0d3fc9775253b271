import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { kubectlConfig } from '../support/kubectlConfig.js';

/** kubectl, where installed, works against the simulated cluster: the strongest check that the protocol is real. */
const run = promisify(execFile);
const kubectlPath = await run('kubectl', ['version', '--client'])
  .then(() => 'kubectl')
  .catch(() => undefined);

describe.skipIf(!kubectlPath)('kubectl against the simulated cluster', () => {
  let cluster: SimulatedCluster;
  let env: NodeJS.ProcessEnv;
  const kubectl = async (...args: string[]) => (await run('kubectl', args, { env, timeout: 30_000 })).stdout;

  beforeAll(async () => {
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
    const { dir, file } = kubectlConfig(cluster.url);
    env = { ...process.env, KUBECONFIG: file, HOME: dir };
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('gets pods with the server-printed columns', async () => {
    const out = await kubectl('get', 'pods', '-l', 'app=cart');
    expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(out).toMatch(/cart-\S+\s+1\/1\s+Running\s+0/);
  });

  it('shows a crash loop in describe and previous logs', async () => {
    cluster.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'catalog' });
    cluster.step(4);
    const describe = await kubectl('describe', 'pods', '-l', 'app=catalog');
    expect(describe).toContain('CrashLoopBackOff');
    expect(describe).toMatch(/Back-off restarting failed container catalog/);
    const pod = (
      await kubectl('get', 'pods', '-l', 'app=catalog', '-o', 'jsonpath={.items[0].metadata.name}')
    ).trim();
    expect(await kubectl('logs', pod, '--previous')).toContain('panic:');
  });

  it('rolls out and undoes a rollout, reusing the old ReplicaSet', async () => {
    const before = (
      await kubectl('get', 'rs', '-l', 'app=ads', '-o', 'jsonpath={.items[*].metadata.name}')
    ).trim();
    await kubectl('set', 'image', 'deploy/ads', 'ads=ghcr.io/ai-cloudops/shop-ads:1.5.0');
    cluster.step(10);
    await kubectl('rollout', 'undo', 'deploy/ads');
    cluster.step(10);
    const history = await kubectl('rollout', 'history', 'deploy/ads');
    expect(history).toMatch(/^2\s/m);
    expect(history).toMatch(/^3\s/m);
    const after = (await kubectl('get', 'rs', '-l', 'app=ads', '-o', 'jsonpath={.items[*].metadata.name}'))
      .trim()
      .split(' ');
    expect(after).toHaveLength(2);
    expect(after).toContain(before);
    expect(
      await kubectl('get', 'deploy', 'ads', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'),
    ).toBe('ghcr.io/ai-cloudops/shop-ads:1.4.2');
  });

  it('scales, and dry-runs a patch on the server without changing anything', async () => {
    await kubectl('scale', 'deploy/email', '--replicas=2');
    const dry = await kubectl(
      'patch',
      'deploy',
      'email',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":5}}',
      '--dry-run=server',
      '-o',
      'jsonpath={.spec.replicas}',
    );
    expect(dry).toBe('5');
    expect(await kubectl('get', 'deploy', 'email', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
  });
});
