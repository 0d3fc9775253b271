import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, actionFor } from '../../src/repair/actions/index.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import type { ObjectRef } from '../../src/repair/types.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/** Each action planned from a snapshot of the simulated cluster, dry-run, then applied through client-node. */
let cluster: SimulatedCluster;
let actuator: KubernetesActuator;

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
});
afterAll(() => cluster?.stop());

const deployment = (name: string): ObjectRef => ({ kind: 'Deployment', namespace: 'shop', name });

async function planOf(type: string, target: ObjectRef, params: unknown = {}) {
  const action = actionFor(type);
  return action.plan(target, action.validate(params), await actuator.snapshot('shop'));
}

async function run(type: string, target: ObjectRef, params: unknown = {}) {
  const plan = await planOf(type, target, params);
  for (const request of plan.requests) await actuator.send(request, { dryRun: true });
  for (const request of plan.requests) await actuator.send(request, { dryRun: false });
  return plan;
}

describe('action catalog', () => {
  it('registers every catalog action once, by its own type', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(
      [
        'cordon-node',
        'delete-evicted-pods',
        'drain-node',
        'notify',
        'raise-hpa-max',
        'raise-memory-limit',
        'rollback',
        'rollout-restart',
        'scale',
        'restart-pod',
      ].sort(),
    );
    for (const [type, action] of Object.entries(ACTIONS)) expect(action.type).toBe(type);
  });

  it('bounds parameters and names the field', () => {
    expect(() => actionFor('raise-memory-limit').validate({ factor: 3 })).toThrow(/at most 2/);
    expect(() => actionFor('scale').validate({ addReplicas: 0 })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'params.addReplicas' })] }),
    );
    expect(() => actionFor('raise-hpa-max').validate({ factor: 1.5, cap: 10_000 })).toThrow(/params.cap|500/);
    expect(() => actionFor('delete-everything')).toThrow(/unknown action/);
  });

  it('raise-memory-limit doubles the limit with a resourceVersion precondition, dry-run first, and reverses', async () => {
    const before = (await actuator.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
    }))!;
    const plan = await planOf('raise-memory-limit', deployment('cart'), { factor: 2 });
    const [change] = plan.details['changes'] as Array<{ fromBytes: number; toBytes: number; to: string }>;
    expect(change!.toBytes).toBe(change!.fromBytes * 2);
    const dry = await actuator.send(plan.requests[0]!, { dryRun: true });
    expect(JSON.stringify(dry)).toContain(change!.to);
    const unchanged = (await actuator.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
    }))!;
    expect((unchanged['metadata'] as { resourceVersion: string }).resourceVersion).toBe(
      (before['metadata'] as { resourceVersion: string }).resourceVersion,
    );
    await actuator.send(plan.requests[0]!, { dryRun: false });
    const after = await actuator.read(plan.requests[0]!.ref);
    expect(JSON.stringify(after)).toContain(change!.to);
    // The same request again is stale: its precondition names the old resourceVersion.
    await expect(actuator.send(plan.requests[0]!, { dryRun: false })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await actuator.send(plan.reverse[0]!, { dryRun: false });
    expect(JSON.stringify(await actuator.read(plan.requests[0]!.ref))).not.toContain(change!.to);
  });

  it('raise-memory-limit refuses a limit no Ready node could hold', async () => {
    const plan = await planOf('raise-memory-limit', deployment('cart'));
    const snapshot = await actuator.snapshot('shop');
    for (const node of snapshot.nodes ?? []) node.status!.allocatable!['memory'] = '100Mi';
    expect(() => actionFor('raise-memory-limit').plan(deployment('cart'), { factor: 2 }, snapshot)).toThrow(
      /would not fit/,
    );
    expect(plan.requests).toHaveLength(1);
  });

  it('rollback replaces the template with the previous revision and records both revisions', async () => {
    cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(4);
    const plan = await run('rollback', deployment('payment'));
    expect(plan.details).toMatchObject({ fromRevision: 2, toRevision: 1 });
    expect(plan.requests[0]).toMatchObject({ patchType: 'json' });
    const after = (await actuator.read(plan.requests[0]!.ref)) as {
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
    };
    expect(after.spec.template.spec.containers[0]!.image).toBe((plan.details['toImages'] as string[])[0]);
  });

  it('rollback refuses a Deployment with no earlier revision', async () => {
    await expect(planOf('rollback', deployment('catalog'))).rejects.toMatchObject({ code: 'POLICY_DENIED' });
  });

  it('cordon-node sets unschedulable and the reverse clears it; control-plane nodes are refused', async () => {
    const node: ObjectRef = { kind: 'Node', namespace: '', name: 'sim-node-3' };
    const plan = await run('cordon-node', node);
    expect(
      ((await actuator.read(plan.requests[0]!.ref)) as { spec: { unschedulable?: boolean } }).spec
        .unschedulable,
    ).toBe(true);
    await actuator.send(plan.reverse[0]!, { dryRun: false });
    expect(
      ((await actuator.read(plan.requests[0]!.ref)) as { spec: { unschedulable?: boolean } }).spec
        .unschedulable,
    ).toBeFalsy();
    const snapshot = await actuator.snapshot('shop');
    snapshot.nodes![2]!.metadata!.labels!['node-role.kubernetes.io/control-plane'] = '';
    expect(() => actionFor('cordon-node').plan(node, {}, snapshot)).toThrow(/control-plane/);
  });

  it('drain-node refuses the last Ready schedulable node', async () => {
    const snapshot = await actuator.snapshot('shop');
    for (const n of snapshot.nodes!.slice(1)) n.spec = { ...n.spec, unschedulable: true };
    expect(() =>
      actionFor('drain-node').plan(
        { kind: 'Node', namespace: '', name: snapshot.nodes![0]!.metadata!.name! },
        { gracePeriodSeconds: 0 },
        snapshot,
      ),
    ).toThrow(/no other Ready schedulable node/);
  });

  it('scale only adds replicas; raise-hpa-max respects the cap', async () => {
    const plan = await planOf('scale', deployment('catalog'), { addReplicas: 2 });
    expect(plan.details['toReplicas']).toBe((plan.details['fromReplicas'] as number) + 2);
    const hpa: ObjectRef = { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'checkout' };
    const raised = await run('raise-hpa-max', hpa, { factor: 2, cap: 8 });
    expect(raised.details).toMatchObject({ fromMaxReplicas: 6, toMaxReplicas: 8 });
    await expect(planOf('raise-hpa-max', hpa, { factor: 2, cap: 8 })).rejects.toMatchObject({
      code: 'POLICY_DENIED',
    });
  });

  it('restart-pod deletes a controller-owned pod with its uid as precondition', async () => {
    const snapshot = await actuator.snapshot('shop');
    const pod = snapshot.pods!.find((p) => p.metadata?.labels?.['app'] === 'catalog')!;
    const target: ObjectRef = { kind: 'Pod', namespace: 'shop', name: pod.metadata!.name! };
    const plan = actionFor('restart-pod').plan(target, {}, snapshot);
    expect(plan.requests[0]).toMatchObject({ verb: 'delete', uid: pod.metadata!.uid });
    await actuator.send(plan.requests[0]!, { dryRun: true });
    expect(await actuator.read(plan.requests[0]!.ref)).toBeDefined();
    // A pod replaced under the same name has another uid: the delete planned for the old one is refused.
    const stale = { ...plan.requests[0]!, uid: 'a-uid-from-before' } as (typeof plan.requests)[0];
    await expect(actuator.send(stale!, { dryRun: false })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Precondition failed: UID'),
    });
    expect(await actuator.read(plan.requests[0]!.ref)).toBeDefined();
  });

  it("raise-memory-limit patches a CronJob's jobTemplate and refuses a Job (its pod template is immutable)", async () => {
    const { BatchV1Api } = await import('@kubernetes/client-node');
    const batch = cluster.kubeConfig().makeApiClient(BatchV1Api);
    const podSpec = {
      restartPolicy: 'Never',
      containers: [{ name: 'report', image: 'report:1', resources: { limits: { memory: '128Mi' } } }],
    };
    await batch.createNamespacedCronJob({
      namespace: 'shop',
      body: {
        metadata: { name: 'nightly' },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podSpec } } } },
      },
    });
    const plan = await run(
      'raise-memory-limit',
      { kind: 'CronJob', namespace: 'shop', name: 'nightly' },
      { factor: 2 },
    );
    expect(plan.summary).toContain('128Mi → 256Mi');
    const cron = await batch.readNamespacedCronJob({ namespace: 'shop', name: 'nightly' });
    expect(cron.spec?.jobTemplate.spec?.template.spec?.containers[0]?.resources?.limits?.['memory']).toBe(
      '256Mi',
    );
    await expect(
      planOf('raise-memory-limit', { kind: 'Job', namespace: 'shop', name: 'nightly-1' }),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED' });
  });

  it('notify plans nothing to send', async () => {
    const plan = await planOf('notify', { kind: 'Service', namespace: 'shop', name: 'cart' });
    expect(plan.requests).toEqual([]);
  });
});
