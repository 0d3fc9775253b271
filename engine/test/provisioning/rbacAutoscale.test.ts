import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine.js';
import { API_PREFIX, buildApp } from '../../src/server/app.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { RbacProxy, type Decision } from '../cluster/rbacProxy.js';
import { KUBECTL, overlayRules } from './overlayRbac.js';

/**
 * The autoscaler's one write, `POST /scale-plan` with `mode: apply` (ForecastService.scalePlan → applyScalePlan:
 * read the workload, server-side dry run of the scale, then the scale), run by the engine against the simulated API
 * server behind each overlay's RBAC as bound. The acting overlay (which allows applying in `shop`) must let it
 * through for a Deployment and a StatefulSet; observe-only must refuse it, and the caller hears the engine's 502
 * naming the missing permission, with the workload unchanged.
 */
const ADMIN = 'admin-token-0123456789';
/** Replicas of `cart` in the seeded shop and of the StatefulSet made here; the plan for cart's demand is more. */
const BEFORE = 2;

async function applyThroughRbac(
  overlay: 'acting' | 'observe-only',
  workload: { kind: string; name: string },
) {
  const cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  cluster.createStatefulSet('shop', 'ledger', BEFORE);
  const proxy = new RbacProxy(cluster.url, overlayRules(overlay));
  const dir = mkdtempSync(join(tmpdir(), 'rbac-autoscale-'));
  try {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: await proxy.listen(), skipTLSVerify: true }],
      users: [{ name: 'engine', token: 'simulated-token' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'engine' }],
      currentContext: 'sim',
    });
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kc.exportConfig());
    const engine = await createEngine(
      configSchema.parse({
        logLevel: 'silent',
        cluster: { kind: 'kubernetes', kubeconfig },
        server: { auth: { enabled: true, tokens: [{ name: 'admin', token: ADMIN, role: 'admin' }] } },
        // The acting overlay's policy (AICLOUDOPS_FORECAST__AUTOSCALE__POLICY__*), with room for any step: the
        // plan's size is not what is tested here.
        forecast: {
          historyDays: 1,
          autoscale: { policy: { allowApply: true, namespaces: ['shop'], maxStep: 1000 } },
        },
      }),
    );
    const app = await buildApp(engine);
    try {
      const res = await app.inject({
        method: 'POST',
        url: `${API_PREFIX}/scale-plan`,
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { workload, service: 'cart', capacityPerReplica: 5, mode: 'apply' },
      });
      const read = cluster.kubeConfig().makeApiClient(AppsV1Api);
      const p = { namespace: 'shop', name: workload.name };
      const replicas =
        workload.kind === 'StatefulSet'
          ? (await read.readNamespacedStatefulSet(p)).spec?.replicas
          : (await read.readNamespacedDeployment(p)).spec?.replicas;
      return { res, replicas, decisions: proxy.decisions };
    } finally {
      await app.close();
      await engine.close();
    }
  } finally {
    await proxy.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const key = (d: Decision) => `${d.verb} ${d.group}/${d.resource}`;

describe.skipIf(!existsSync(KUBECTL))("the autoscaler's apply behind each overlay's RBAC", () => {
  for (const [kind, name, resource] of [
    ['Deployment', 'cart', 'apps/deployments/scale'],
    ['StatefulSet', 'ledger', 'apps/statefulsets/scale'],
  ] as const) {
    it(
      `acting: a ${kind} is scaled (dry run, then for real), nothing refused`,
      { timeout: 120_000 },
      async () => {
        const { res, replicas, decisions } = await applyThroughRbac('acting', { kind, name });
        expect(res.statusCode, res.body).toBe(200);
        const { applied } = res.json() as {
          applied: { dryRun: boolean; from: number; to: number; replicas: number };
        };
        expect(applied).toMatchObject({ dryRun: false, from: BEFORE, replicas: applied.to });
        expect(applied.to).not.toBe(BEFORE);
        expect(replicas).toBe(applied.to);
        expect(decisions.filter((d) => !d.allowed).map(key)).toEqual([]);
        expect(decisions.filter((d) => key(d) === `patch ${resource}`)).toHaveLength(2);
      },
    );

    it(
      `observe-only: a ${kind} is refused with a 502 naming patch ${resource}, and left as it was`,
      { timeout: 120_000 },
      async () => {
        const { res, replicas, decisions } = await applyThroughRbac('observe-only', { kind, name });
        expect(res.statusCode, res.body).toBe(502);
        const { error } = res.json() as { error: { code: string; message: string } };
        expect(error.code).toBe('UPSTREAM_ERROR');
        expect(error.message).toContain(
          `the engine's service account lacks the Kubernetes permission to patch ${resource} in namespace shop;`,
        );
        expect(replicas).toBe(BEFORE);
        // The dry run is the first write, and refused: the real one is never sent.
        expect(decisions.filter((d) => !d.allowed).map(key)).toEqual([`patch ${resource}`]);
      },
    );
  }
});
