import { existsSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/repair/audit/MemoryAuditLog.js';
import { repairConfigSchema } from '../../src/repair/config.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { RepairService } from '../../src/repair/RepairService.js';
import { defaultRuleFile } from '../../src/repair/rules/defaultRules.js';
import { RuleBook, parseRuleFile } from '../../src/repair/rules/loadRules.js';
import { REPAIR_SCENARIOS } from '../../src/sim/repairScenarios.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RbacProxy, type Decision, type PolicyRule } from '../cluster/rbacProxy.js';
import { KUBECTL, overlayRules } from './overlayRbac.js';

/**
 * The acting overlay's RBAC, as bound (a RoleBinding holds in its namespace), enforced in front of the simulated
 * API server while the repair loop runs every scenario in auto mode: snapshot, dry-run, apply, verify, roll back.
 * Nothing the loop needs may be refused (only the withheld Secret and ConfigMap reads), and each scenario's action
 * must end as it does without RBAC (verified; rolled back for the deliberately wrong ones).
 */
const SECONDS_PER_STEP = 10;
const WITHHELD = ['list /configmaps', 'list /secrets'];

async function runThroughRbac(scenario: (typeof REPAIR_SCENARIOS)[number], rules: PolicyRule[]) {
  const clock = { now: Date.now() };
  const cluster = await SimulatedCluster.start({
    seedShop: true,
    tickMs: 0,
    clock: () => clock.now,
    tuning: { secondsPerTick: SECONDS_PER_STEP },
  });
  await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: 'aicloudops' } } });
  const proxy = new RbacProxy(cluster.url, rules);
  try {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: await proxy.listen(), skipTLSVerify: true }],
      users: [{ name: 'engine', token: 'simulated-token' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'engine' }],
      currentContext: 'sim',
    });
    const repair = new RepairService({
      cluster: new KubernetesActuator('sim', kc),
      lease: new KubernetesLeaderLease(kc, {
        namespace: 'aicloudops',
        name: 'aicloudops-repair',
        identity: 'engine',
        now: () => clock.now,
      }),
      store: new MemoryStore(),
      audit: new MemoryAuditLog(),
      rules: new RuleBook(scenario.rules ? parseRuleFile(scenario.rules) : defaultRuleFile()),
      config: repairConfigSchema.parse({ maxMode: 'auto' }),
      logger: pino({ level: 'silent' }),
      now: () => new Date(clock.now),
    });
    scenario.inject(cluster);
    for (let step = 0; step < 360; step++) {
      cluster.step(1);
      clock.now += SECONDS_PER_STEP * 1000;
      await repair.runOnce();
      for (const pending of await repair.listActions({ state: 'awaiting-approval' }))
        await repair.approve(pending.id, { name: 'operator', role: 'operator' });
      const states = (await repair.listActions())
        .filter((a) => a.planned.type !== 'notify')
        .map((a) => a.state);
      if (
        states.length &&
        states.every((s) => ['verified', 'rolled-back', 'failed', 'dry-run-failed'].includes(s))
      )
        break;
    }
    return { decisions: proxy.decisions, actions: await repair.listActions() };
  } finally {
    await proxy.close();
    await cluster.stop();
  }
}

const key = (d: Decision) => `${d.verb} ${d.group}/${d.resource}`;

describe.skipIf(!existsSync(KUBECTL))('the acting RBAC enforced while the repair loop runs', () => {
  for (const scenario of REPAIR_SCENARIOS.filter((s) => !s.notifyOnly)) {
    it(
      `${scenario.name}: ${scenario.expected.type} with nothing refused but the withheld reads`,
      { timeout: 120_000 },
      async () => {
        const { decisions, actions } = await runThroughRbac(scenario, overlayRules('acting'));
        const refused = [...new Set(decisions.filter((d) => !d.allowed).map(key))].sort();
        expect(
          refused.filter((k) => !WITHHELD.includes(k)),
          JSON.stringify(decisions.filter((d) => !d.allowed)),
        ).toEqual([]);
        const main = actions.find((a) => a.planned.type === scenario.expected.type);
        expect(main?.state, JSON.stringify(actions.map((a) => [a.planned.type, a.state]))).toBe(
          scenario.wrong ? 'rolled-back' : 'verified',
        );
      },
    );
  }
});
