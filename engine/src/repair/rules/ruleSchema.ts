import { z } from 'zod';

/**
 * The declarative repair rule file (YAML). Every field is bounded: a rule can only name an action from the fixed
 * catalog, with parameters inside the limits a careful operator would accept (a memory raise of at most 2x, an HPA
 * max raise of at most 2x and never above a hard cap). The planner (planRepairs.ts) is the only reader.
 */

export const FINDING_TYPES = [
  'CrashLoopBackOff',
  'OOMKilled',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'Unschedulable',
  'ProbeFailing',
  'RolloutStuck',
  'Evicted',
  'NodeNotReady',
  'NodePressure',
  'HpaAtMax',
  'PvcPending',
  'JobFailed',
  'ServiceNoEndpoints',
] as const;
export const findingTypeSchema = z.enum(FINDING_TYPES);

export const ACTION_TYPES = [
  'restart-pod',
  'rollout-restart',
  'rollback',
  'raise-memory-limit',
  'scale',
  'cordon-node',
  'drain-node',
  'delete-evicted-pods',
  'raise-hpa-max',
  'notify',
] as const;
export const actionTypeSchema = z.enum(ACTION_TYPES);

export const repairModeSchema = z.enum(['observe', 'recommend', 'approve', 'auto']);

/** `30s`, `15m`, `2h`, `1d` → seconds. */
/** A rule's cooldown when it names none (the model's proposals get it too). */
export const DEFAULT_COOLDOWN_SECONDS = 1800;

export const durationSchema = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'must be a duration like 30s, 15m, 2h or 1d')
  .transform((text) => {
    const n = Number(text.slice(0, -1));
    const unit = text.slice(-1);
    return n * ({ s: 1, m: 60, h: 3600, d: 86_400 } as const)[unit as 's' | 'm' | 'h' | 'd'];
  });

const labelsSchema = z.record(z.string(), z.string());

export const matchSchema = z
  .object({
    types: z.array(findingTypeSchema).min(1).optional(),
    namespaces: z.array(z.string().min(1)).min(1).optional(),
    /** Labels the finding's workload (top of the owner chain) must carry. */
    labels: labelsSchema.optional(),
  })
  .strict();

export const excludeSchema = z
  .object({
    namespaces: z.array(z.string().min(1)).optional(),
    labels: labelsSchema.optional(),
  })
  .strict();

/**
 * Named predicates the planner evaluates against the finding and the snapshot (rules/conditions.ts). A rule applies
 * only when every listed condition has the listed value.
 */
export const conditionsSchema = z
  .object({
    /** The object has a controller (ownerReferences with controller: true) up to a workload. */
    ownedByController: z.boolean().optional(),
    /** The failure began with a new revision of its Deployment (the failing pods belong to the newest ReplicaSet). */
    beganWithRollout: z.boolean().optional(),
    /** The revision before the failing one had available pods (ReplicaSet status) and is not failing itself. */
    previousRevisionHealthy: z.boolean().optional(),
    /**
     * Every pod of the failing revision is scheduled and none is Ready: the revision itself does not work (pods that
     * no node can take are a capacity problem, not the revision's).
     */
    newRevisionUnhealthy: z.boolean().optional(),
    /** The condition has held at least this long. */
    heldFor: durationSchema.optional(),
    /** Minimum occurrences (restarts, OOM kills, evicted pods) behind the finding. */
    minOccurrences: z.number().int().min(1).optional(),
    /** The finding's pods were OOMKilled (Jobs). */
    oomKilled: z.boolean().optional(),
    /** The raised memory limit fits the largest Ready node's allocatable memory. */
    raisedLimitFits: z.boolean().optional(),
    /** Every pod the HPA scales is scheduled and Ready. */
    allPodsReady: z.boolean().optional(),
    /** Current utilisation is at least this share of the HPA's target (1 = at target). */
    utilisationAtLeastTarget: z.number().min(0).max(10).optional(),
    /** At least one other schedulable, Ready worker node exists (cordoning must not block recovery). */
    otherReadyWorker: z.boolean().optional(),
    /** The node is a control-plane node. */
    controlPlane: z.boolean().optional(),
  })
  .strict();

const noParams = z.object({}).strict().default({});

export const actionSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('restart-pod'), params: noParams }).strict(),
  z.object({ type: z.literal('rollout-restart'), params: noParams }).strict(),
  z.object({ type: z.literal('rollback'), params: noParams }).strict(),
  z
    .object({
      type: z.literal('raise-memory-limit'),
      params: z
        .object({
          factor: z.number().gt(1, 'must be above 1').max(2, 'must be at most 2 (never more than double)'),
        })
        .strict()
        .default({ factor: 2 }),
    })
    .strict(),
  z
    .object({
      type: z.literal('scale'),
      /** Scale up only: nothing ever scales a workload down. */
      params: z.object({ addReplicas: z.number().int().min(1).max(10) }).strict(),
    })
    .strict(),
  z.object({ type: z.literal('cordon-node'), params: noParams }).strict(),
  z
    .object({
      type: z.literal('drain-node'),
      params: z
        .object({ gracePeriodSeconds: z.number().int().min(0).max(3600) })
        .strict()
        .default({ gracePeriodSeconds: 30 }),
    })
    .strict(),
  z.object({ type: z.literal('delete-evicted-pods'), params: noParams }).strict(),
  z
    .object({
      type: z.literal('raise-hpa-max'),
      params: z
        .object({
          factor: z.number().gt(1).max(2, 'must be at most 2'),
          /** Hard ceiling for maxReplicas whatever the factor gives. */
          cap: z.number().int().min(1).max(500),
        })
        .strict()
        .default({ factor: 1.5, cap: 50 }),
    })
    .strict(),
  z
    .object({
      type: z.literal('notify'),
      params: z
        .object({ channel: z.string().min(1).optional() })
        .strict()
        .default({}),
    })
    .strict(),
]);

export const maintenanceWindowSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday (UTC); all days when absent. */
    days: z.array(z.number().int().min(0).max(6)).min(1).optional(),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)'),
    end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)'),
  })
  .strict();

export const verifySchema = z
  .object({
    /** Kubernetes state that must hold after the action, e.g. `deploymentAvailable`, `podsReady`, `nodeSchedulable`. */
    kubernetes: z
      .array(
        z.enum([
          'deploymentAvailable',
          'podsReady',
          'noRecentRestarts',
          'nodeCordoned',
          'hpaBelowMax',
          'noEvictedPods',
        ]),
      )
      .default([]),
    /** Optional PromQL that must return a non-empty result (a condition, e.g. `rate(errors[5m]) < 0.01`). */
    promql: z.string().min(1).optional(),
    interval: durationSchema.default(30),
    for: durationSchema.default(300),
    /** Failed checks tolerated before the action counts as failed (and is rolled back). */
    failures: z.number().int().min(0).max(20).default(2),
    deadline: durationSchema.default(900),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    version: z.number().int().min(1).default(1),
    description: z.string().optional(),
    match: matchSchema.default({}),
    exclude: excludeSchema.optional(),
    conditions: conditionsSchema.default({}),
    action: actionSpecSchema,
    mode: repairModeSchema.default('recommend'),
    cooldown: durationSchema.default(DEFAULT_COOLDOWN_SECONDS),
    /** Most actions of this rule's action type per namespace and hour (past and planned, whichever rule made them). */
    budgetPerNamespacePerHour: z.number().int().min(0).max(100).default(5),
    /** Largest share of a workload's replicas one action may touch at once. */
    blastRadius: z.number().gt(0).max(1).default(0.25),
    maintenanceWindows: z.array(maintenanceWindowSchema).optional(),
    verify: verifySchema.optional(),
    /** Keep evaluating later rules after this one applied (e.g. cordon, then also notify). */
    continue: z.boolean().default(false),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    apiVersion: z.literal('repair.aicloudops.io/v1'),
    kind: z.literal('RepairRules'),
    rules: z.array(ruleSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id ${rule.id}` });
      seen.add(rule.id);
    });
  });

/** Engine-wide settings the rules cannot override. */
export const repairPolicySchema = z
  .object({
    /** The most any rule may do: `recommend` turns every action into a recommendation (shadow mode). */
    maxMode: repairModeSchema.default('approve'),
    protectedNamespaces: z.array(z.string()).default(['kube-system', 'kube-public', 'kube-node-lease']),
    /** Stops all acting: every planned action becomes `observe`. */
    killSwitch: z.boolean().default(false),
  })
  .strict();

export type RuleFile = z.infer<typeof ruleFileSchema>;
export type RuleFileInput = z.input<typeof ruleFileSchema>;
export type RepairRule = z.infer<typeof ruleSchema>;
export type RuleMatch = z.infer<typeof matchSchema>;
export type RuleConditions = z.infer<typeof conditionsSchema>;
export type ActionSpec = z.infer<typeof actionSpecSchema>;
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;
export type VerifySpec = z.infer<typeof verifySchema>;
export type RepairPolicy = z.infer<typeof repairPolicySchema>;
