import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine.js';
import { createModelProvider } from '../../src/model/createModelProvider.js';
import { ModelRepairAdvisor } from '../../src/repair/advisor/ModelRepairAdvisor.js';
import { MemoryAuditLog } from '../../src/repair/audit/MemoryAuditLog.js';
import { canonicalJson, sha256 } from '../../src/repair/audit/hashChain.js';
import { repairConfigSchema } from '../../src/repair/config.js';
import { scanSnapshot } from '../../src/repair/detectors/index.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { RepairService } from '../../src/repair/RepairService.js';
import { defaultRepairPolicy } from '../../src/repair/rules/defaultRules.js';
import { RuleBook, parseRuleFile } from '../../src/repair/rules/loadRules.js';
import { planRepairsWithReasons } from '../../src/repair/rules/planRepairs.js';
import { planRepairsWithModel } from '../../src/repair/rules/planWithModel.js';
import type { ClusterSnapshot, RepairPolicy } from '../../src/repair/types.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { NOW, deployment, replicaSet, rollout, rsPod, workers } from '../fixtures/repair/kubeObjects.js';
import { freePort } from '../support/index.js';
import {
  startFakeOpenAiServer,
  type ChatCompletionBody,
  type FakeReply,
  type FakeOpenAiServer,
} from '../assistant/support/startFakeOpenAiServer.js';

/**
 * DECIDE with a model (issue 13): the model talks HTTP (OpenAI-compatible, through the engine's OpenAIProvider) and
 * may only fill gaps and break ties inside the rules; its reply is schema-checked, the same guards and policy decide,
 * it needs approval, and a model that is down or slow leaves the rules alone.
 */

let server: FakeOpenAiServer;
let script: (body: ChatCompletionBody) => FakeReply = () => ({ content: '{}' });

beforeAll(async () => {
  server = await startFakeOpenAiServer((body) => script(body));
});
afterAll(() => server?.stop());
beforeEach(() => {
  server.chatRequests.length = 0;
});

const reply = (value: unknown): FakeReply => ({
  content: `Here you go:\n\`\`\`json\n${JSON.stringify(value)}\n\`\`\``,
});

function advisor(baseURL = server.baseURL, timeoutSeconds = 10) {
  const model = createModelProvider(
    configSchema.parse({ model: { provider: 'openai', baseURL, chatModel: 'fake-chat', maxRetries: 0 } })
      .model,
  )!;
  return new ModelRepairAdvisor(model, { timeoutSeconds, cacheSeconds: 0 });
}

/** Rules that cover crash loops only: an OOMKilled finding is one no rule applies to. */
const CRASH_ONLY = parseRuleFile(`apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: crash-notify
    match: { types: [CrashLoopBackOff] }
    action: { type: notify }
    mode: auto
`);

/** Two acting rules for one crash loop: the first wins without a model. */
const TWO_CANDIDATES = parseRuleFile(`apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: crash-restart
    match: { types: [CrashLoopBackOff] }
    action: { type: rollout-restart }
    mode: approve
  - id: crash-rollback
    match: { types: [CrashLoopBackOff] }
    conditions: { beganWithRollout: true, previousRevisionHealthy: true }
    action: { type: rollback }
    mode: approve
`);

function oomSnapshot(limit = '256Mi'): ClusterSnapshot {
  const dep = deployment('analytics', 'renderer', { container: { memoryLimit: limit } });
  const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 2 });
  const pods = ['p1', 'p2'].map((s) =>
    rsPod(rs, s, {
      restarts: 5,
      lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAgo: 200 },
      container: { memoryLimit: limit },
    }),
  );
  return { nodes: workers(2, { memory: '15125526Ki' }), deployments: [dep], replicaSets: [rs], pods };
}

/** A crash loop that began with a rollout (not yet past its deadline, so CrashLoopBackOff is the one finding). */
const crashingRollout = () =>
  rollout(
    'shop',
    'checkout',
    (rs, s) =>
      rsPod(rs, s, {
        state: { waiting: 'CrashLoopBackOff' },
        restarts: 8,
        lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 30 },
      }),
    { deadlineExceeded: false },
  );

const ACTING_POLICY: Partial<RepairPolicy> = { maxMode: 'auto' };

function planWith(
  snapshot: ClusterSnapshot,
  rules = CRASH_ONLY,
  a = advisor(),
  policy: Partial<RepairPolicy> = ACTING_POLICY,
) {
  return planRepairsWithModel(
    scanSnapshot(snapshot, NOW),
    snapshot,
    rules,
    defaultRepairPolicy(policy),
    NOW,
    [],
    { advisor: a, mode: 'approve', maxCalls: 5 },
  );
}

describe('planning with a model over HTTP', () => {
  it('plans a valid catalog action for a finding no rule covers, in approve mode, with the exchange hashed', async () => {
    const answer = reply({
      action: { type: 'raise-memory-limit', params: { factor: 1.5 } },
      why: 'OOM kills at the limit',
    });
    script = () => answer;
    const plan = await planWith(oomSnapshot());
    expect(server.chatRequests).toHaveLength(1);
    const raise = plan.actions.find((a) => a.type === 'raise-memory-limit');
    expect(raise).toMatchObject({
      source: 'model',
      mode: 'approve',
      ruleId: 'model-proposal',
      target: { kind: 'Deployment', namespace: 'analytics', name: 'renderer' },
      params: { factor: 1.5, from: '256Mi', to: '384Mi' },
      model: { decision: 'proposed', chatModel: 'fake-chat' },
    });
    expect(raise!.reason).toContain('OOM kills at the limit');
    // The hashes are of what went over the wire: the system and user messages the server received, and its reply.
    const sent = server.chatRequests[0]!;
    const [system, user] = sent.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('"raise-memory-limit"');
    expect(user!.content).toContain('Finding: OOMKilled');
    expect(raise!.model!.inputHash).toBe(
      sha256(canonicalJson({ model: 'fake-chat', system: system!.content, prompt: user!.content })),
    );
    expect(raise!.model!.outputHash).toBe(sha256(answer.content!));
  });

  it('without a model the same finding gets nothing from the rules alone', () => {
    const snapshot = oomSnapshot();
    const plan = planRepairsWithReasons(
      scanSnapshot(snapshot, NOW),
      snapshot,
      CRASH_ONLY,
      defaultRepairPolicy(ACTING_POLICY),
      NOW,
    );
    expect(plan.actions).toEqual([]);
    expect(repairConfigSchema.parse({}).model.enabled).toBe(false);
  });

  it.each([
    [
      'an action outside the catalog',
      { action: { type: 'delete-namespace', params: {} } },
      /action\.type: Invalid discriminator/,
    ],
    [
      'raise-memory-limit by 10x',
      { action: { type: 'raise-memory-limit', params: { factor: 10 } } },
      /action\.params\.factor: must be at most 2/,
    ],
    [
      'a parameter a rule cannot set',
      { action: { type: 'rollback', params: { toRevision: 1 } } },
      /action\.params: Unrecognized key/,
    ],
    ['prose instead of JSON', 'I would restart it.', /no JSON object/],
  ])('rejects %s and tells a person instead, with the reason', async (_what, value, why) => {
    script = () => (typeof value === 'string' ? { content: value } : reply(value));
    const plan = await planWith(oomSnapshot());
    expect(plan.actions.map((a) => a.type)).toEqual(['notify']);
    const notify = plan.actions[0]!;
    expect(notify).toMatchObject({ ruleId: 'model-fallback-notify', model: { decision: 'rejected' } });
    expect(notify.reason).toMatch(why);
    expect(plan.skipped.find((s) => s.ruleId === 'model')?.reason).toMatch(why);
  });

  it('a schema-valid proposal the safety guards refuse becomes a notify too', async () => {
    // No previous revision to return to: rollback is what a careful operator never does here.
    script = () => reply({ action: { type: 'rollback' }, why: 'go back' });
    const plan = await planWith(oomSnapshot());
    expect(plan.actions.map((a) => a.type)).toEqual(['notify']);
    expect(plan.actions[0]!.reason).toMatch(/model proposal rollback refused by policy/);
  });

  it('picks between two rule candidates, and the rules order decides without it', async () => {
    const snapshot = crashingRollout();
    const rulesAlone = planRepairsWithReasons(
      scanSnapshot(snapshot, NOW),
      snapshot,
      TWO_CANDIDATES,
      defaultRepairPolicy(ACTING_POLICY),
      NOW,
    );
    expect(rulesAlone.actions.map((a) => a.type)).toEqual(['rollout-restart']);
    script = () => reply({ choice: 2, why: 'the crash began with the new revision' });
    const plan = await planWith(snapshot, TWO_CANDIDATES);
    expect(plan.actions.map((a) => a.type)).toEqual(['rollback']);
    expect(plan.actions[0]).toMatchObject({
      source: 'model',
      ruleId: 'crash-rollback',
      mode: 'approve',
      model: { decision: 'chose' },
      params: { toRevision: 4, fromRevision: 5 },
    });
    const prompt = server.chatRequests[0]!.messages[1]!.content!;
    expect(prompt).toContain('1. rollout-restart on Deployment/checkout');
    expect(prompt).toContain('2. rollback on Deployment/checkout');
    script = () => reply({ choice: 7 });
    const bad = await planWith(snapshot, TWO_CANDIDATES);
    expect(bad.actions.map((a) => a.type)).toEqual(['rollout-restart']);
    expect(bad.skipped.find((s) => s.ruleId === 'model')?.reason).toMatch(/choice: 7 is not a candidate/);
  });

  it(
    'a model that is down or too slow leaves the rules alone, without failing the plan',
    { timeout: 30_000 },
    async () => {
      const snapshot = crashingRollout();
      const rulesAlone = planRepairsWithReasons(
        scanSnapshot(snapshot, NOW),
        snapshot,
        TWO_CANDIDATES,
        defaultRepairPolicy(ACTING_POLICY),
        NOW,
      ).actions;
      const down = advisor(`http://127.0.0.1:${await freePort()}/v1`);
      const whenDown = await planWith(snapshot, TWO_CANDIDATES, down);
      expect(whenDown.actions).toEqual(rulesAlone);
      expect(whenDown.skipped.find((s) => s.ruleId === 'model')?.reason).toMatch(
        /model unavailable \(model server unreachable/,
      );
      const uncovered = await planWith(oomSnapshot(), CRASH_ONLY, down);
      expect(uncovered.actions).toEqual([]);
      expect(uncovered.skipped.find((s) => s.ruleId === 'model')?.reason).toMatch(
        /no rule applies, nothing planned/,
      );

      script = () => ({ ...reply({ choice: 2 }), delayMs: 5_000 });
      const slow = await planWith(snapshot, TWO_CANDIDATES, advisor(server.baseURL, 0.5));
      expect(slow.actions).toEqual(rulesAlone);
      expect(slow.skipped.find((s) => s.ruleId === 'model')?.reason).toMatch(
        /model unavailable \(model completion (was aborted|timed out)/,
      );

      // Two findings no rule covers: after the first times out the second is not asked (one timeout per plan).
      server.chatRequests.length = 0;
      const two = { ...oomSnapshot() };
      const other = oomSnapshot();
      for (const d of other.deployments!) d.metadata!.namespace = 'billing';
      for (const r of other.replicaSets!) r.metadata!.namespace = 'billing';
      for (const p of other.pods!) p.metadata!.namespace = 'billing';
      two.deployments = [...two.deployments!, ...other.deployments!];
      two.replicaSets = [...two.replicaSets!, ...other.replicaSets!];
      two.pods = [...two.pods!, ...other.pods!];
      const once = await planWith(two, CRASH_ONLY, advisor(server.baseURL, 0.5));
      expect(scanSnapshot(two, NOW).filter((f) => f.type === 'OOMKilled')).toHaveLength(2);
      expect(server.chatRequests).toHaveLength(1);
      expect(once.skipped.filter((s) => s.ruleId === 'model').map((s) => s.reason)).toEqual([
        expect.stringMatching(/^model unavailable/),
        expect.stringMatching(/^model not asked: unavailable earlier in this plan/),
      ]);
    },
  );

  it('in shadow mode or under the kill switch a model proposal is capped like any rule', async () => {
    script = () => reply({ action: { type: 'raise-memory-limit', params: { factor: 2 } } });
    const shadow = await planWith(oomSnapshot(), CRASH_ONLY, advisor(), { maxMode: 'recommend' });
    expect(shadow.actions[0]).toMatchObject({
      type: 'raise-memory-limit',
      mode: 'recommend',
      source: 'model',
    });
    const killed = await planWith(oomSnapshot(), CRASH_ONLY, advisor(), {
      maxMode: 'auto',
      killSwitch: true,
    });
    expect(killed.actions[0]).toMatchObject({ type: 'raise-memory-limit', mode: 'observe' });
  });
});

describe('RepairService with a model on the simulated cluster', () => {
  it(
    'a model-proposed change waits for an operator, is audited with the model hashes, and is written only once approved',
    { timeout: 60_000 },
    async () => {
      const cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
      try {
        script = (body) =>
          String(body.messages[1]?.content).includes('Finding: OOMKilled')
            ? reply({
                action: { type: 'raise-memory-limit', params: { factor: 2 } },
                why: 'repeated OOM kills',
              })
            : reply({ action: { type: 'notify' } });
        const clock = { now: Date.now() };
        const audit = new MemoryAuditLog();
        const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
        const repair = new RepairService({
          cluster: actuator,
          lease: new KubernetesLeaderLease(cluster.kubeConfig(), {
            namespace: 'shop',
            name: 'aicloudops-repair',
            identity: 'engine-a',
            now: () => clock.now,
          }),
          store: new MemoryStore(),
          audit,
          rules: new RuleBook(CRASH_ONLY),
          // The policy would allow `auto`; the model's actions still ask for approval (repair.model.mode).
          config: repairConfigSchema.parse({
            namespaces: ['shop'],
            maxMode: 'auto',
            model: { enabled: true },
          }),
          logger: pino({ level: 'silent' }),
          advisor: advisor(),
          now: () => new Date(clock.now),
        });
        const cartLimit = async () => {
          const d = (await actuator.read({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'cart',
          })) as {
            spec: {
              template: { spec: { containers: Array<{ resources?: { limits?: { memory?: string } } }> } };
            };
          };
          return d.spec.template.spec.containers[0]!.resources?.limits?.memory;
        };
        const before = await cartLimit();
        expect(before).toBeDefined();
        cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
        let raise;
        for (let round = 0; round < 30 && !raise; round++) {
          cluster.step(2);
          clock.now += 10_000;
          await repair.runOnce();
          raise = (await repair.listActions()).find((a) => a.planned.type === 'raise-memory-limit');
        }
        expect(raise?.planned).toMatchObject({ source: 'model', mode: 'approve', target: { name: 'cart' } });
        for (let round = 0; round < 5; round++) {
          cluster.step(2);
          clock.now += 10_000;
          await repair.runOnce();
        }
        expect((await repair.getAction(raise!.id)).state).toBe('awaiting-approval');
        expect(await cartLimit()).toBe(before);
        const records = await repair.audit({ actionId: raise!.id });
        expect(records.map((r) => r.kind)).toEqual(
          expect.arrayContaining(['finding', 'dry-run', 'approval-requested']),
        );
        for (const r of records) {
          expect(r.model).toEqual({
            inputHash: raise!.planned.model!.inputHash,
            outputHash: raise!.planned.model!.outputHash,
          });
          expect(r.model!.inputHash).toMatch(/^[0-9a-f]{64}$/);
          expect(r.data).toMatchObject({ source: 'model', modelDecision: 'proposed' });
        }
        await expect(repair.approve(raise!.id, { name: 'vera', role: 'viewer' })).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
        await repair.approve(raise!.id, { name: 'olga', role: 'operator' });
        await repair.runOnce({ scan: false });
        expect(await cartLimit()).not.toBe(before);
        expect(
          (await repair.audit({ actionId: raise!.id })).some((r) => r.kind === 'applied' && r.model),
        ).toBe(true);
        expect(await audit.verify()).toMatchObject({ ok: true });
      } finally {
        await cluster.stop();
      }
    },
  );
});

describe('createEngine wires repair.model to the configured model', () => {
  const CRASH_ONLY_YAML = `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: crash-notify
    match: { types: [CrashLoopBackOff] }
    action: { type: notify }
`;

  it.each([
    [true, 1],
    [false, 0],
  ])(
    'repair.model.enabled %s: the model is asked %s time(s) about an OOMKilled no rule covers',
    { timeout: 60_000 },
    async (enabled, calls) => {
      const dir = mkdtempSync(join(tmpdir(), 'repair-model-'));
      const rulesFile = join(dir, 'rules.yaml');
      writeFileSync(rulesFile, CRASH_ONLY_YAML);
      script = (body) =>
        String(body.messages[1]?.content).includes('Finding: OOMKilled')
          ? reply({ action: { type: 'raise-memory-limit', params: { factor: 2 } } })
          : reply({ action: { type: 'notify' } });
      const engine = await createEngine(
        configSchema.parse({
          logLevel: 'silent',
          dataDir: dir,
          cluster: { kind: 'simulated', injectFaults: false },
          model: { provider: 'openai', baseURL: server.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
          repair: { rulesFile, maxMode: 'approve', namespaces: ['shop'], model: { enabled } },
        }),
      );
      try {
        engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
        engine.demo!.cluster.step(20);
        const plan = await engine.services.repair!.plan();
        expect(plan.findings.some((f) => f.type === 'OOMKilled' && f.workload.name === 'cart')).toBe(true);
        const asked = server.chatRequests.filter((b) =>
          String(b.messages[1]?.content).includes('Finding: OOMKilled'),
        );
        expect(asked).toHaveLength(calls);
        const raise = plan.actions.find((a) => a.type === 'raise-memory-limit');
        if (enabled)
          expect(raise).toMatchObject({ source: 'model', mode: 'approve', target: { name: 'cart' } });
        else expect(raise).toBeUndefined();
      } finally {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
