import { z } from 'zod';
import { AUDIT_KINDS } from './audit/AuditLog.js';
import { FINDING_TYPES, ACTION_TYPES, repairModeSchema } from './rules/ruleSchema.js';
import { FINAL_STATES, OPEN_STATES } from './executor/ActionRecord.js';
import { FIELD_LIMITS, kubernetesNameSchema, namespaceSchema } from '../schemas/core.js';

/** Wire schemas of the repair API: validation, the OpenAPI document and the typed client's types in one place. */

export const objectRefSchema = z.object({
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  uid: z.string().optional(),
});

export const findingSchema = z.object({
  fingerprint: z.string(),
  type: z.enum(FINDING_TYPES),
  object: objectRefSchema,
  owners: z.array(objectRefSchema),
  workload: objectRefSchema,
  evidence: z.object({
    statuses: z.array(z.string()),
    events: z.array(
      z.object({
        type: z.string(),
        reason: z.string(),
        message: z.string(),
        count: z.number(),
        firstSeen: z.string().optional(),
        lastSeen: z.string().optional(),
        object: objectRefSchema,
      }),
    ),
    logTail: z.array(z.string()),
  }),
  since: z.string(),
  heldSeconds: z.number(),
  rate: z.object({ value: z.number(), unit: z.string() }).optional(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type FindingDto = z.infer<typeof findingSchema>;

export const plannedActionSchema = z.object({
  type: z.enum(ACTION_TYPES),
  target: objectRefSchema,
  params: z.record(z.string(), z.unknown()),
  mode: repairModeSchema,
  ruleId: z.string(),
  ruleVersion: z.number(),
  findingFingerprint: z.string(),
  reason: z.string(),
  source: z.enum(['rules', 'model']).optional(),
  model: z
    .object({
      decision: z.enum(['proposed', 'chose', 'rejected']),
      chatModel: z.string(),
      inputHash: z.string(),
      outputHash: z.string(),
    })
    .optional(),
});
export type PlannedActionDto = z.infer<typeof plannedActionSchema>;

export const scanResponseSchema = z.object({ at: z.string(), findings: z.array(findingSchema) });
export type RepairScanResponse = z.infer<typeof scanResponseSchema>;

export const planResponseSchema = z.object({
  at: z.string(),
  findings: z.array(findingSchema),
  actions: z.array(plannedActionSchema),
  skipped: z.array(z.object({ findingFingerprint: z.string(), ruleId: z.string(), reason: z.string() })),
});
export type RepairPlanResponse = z.infer<typeof planResponseSchema>;

const diffEntrySchema = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
const checkSchema = z.object({
  check: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  worse: z.boolean().optional(),
});

export const actionRecordSchema = z.object({
  id: z.string(),
  state: z.string(),
  planned: plannedActionSchema,
  finding: findingSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  actor: z.string().optional(),
  plan: z
    .object({
      summary: z.string(),
      reversible: z.boolean(),
      requests: z.array(z.object({ verb: z.string(), description: z.string() }).loose()),
      reverse: z.array(z.object({ verb: z.string(), description: z.string() }).loose()),
      details: z.record(z.string(), z.unknown()),
    })
    .optional(),
  dryRun: z
    .object({ ok: z.boolean(), diff: z.array(diffEntrySchema), error: z.string().optional(), at: z.string() })
    .optional(),
  approval: z
    .object({
      requestedAt: z.string(),
      expiresAt: z.string(),
      decision: z.enum(['approved', 'rejected']).optional(),
      decidedBy: z.string().optional(),
      decidedAt: z.string().optional(),
      comment: z.string().optional(),
    })
    .optional(),
  applied: z
    .object({ at: z.string(), resourceVersions: z.array(z.string()), requests: z.number() })
    .optional(),
  clearSince: z
    .string()
    .optional()
    .describe(
      'approved, and its finding gone at the re-check since then: dropped as cleared if it stays gone 2 minutes',
    ),
  verification: z
    .object({
      startedAt: z.string(),
      deadline: z.string(),
      lastCheckAt: z.string().optional(),
      passingSince: z.string().optional(),
      failures: z.number(),
      lastResult: z.array(checkSchema),
      baselineReady: z.number().optional(),
    })
    .optional(),
  rollback: z.object({ at: z.string(), ok: z.boolean(), error: z.string().optional() }).optional(),
  reason: z.string().optional(),
});
export type RepairActionDto = z.infer<typeof actionRecordSchema>;

/** A time in a query: RFC 3339 with its offset (`Z` or `+08:00`), so `since=yesterday` is a 400, not an empty list. */
const timeQuerySchema = z.iso.datetime({
  offset: true,
  error: 'must be an RFC 3339 time with its offset, e.g. 2026-01-01T00:00:00Z',
});

/** Most names one `name` filter takes: the Grafana page asks for the services of the incidents it shows. */
export const MAX_ACTION_NAMES = 100;

/**
 * Comma-separated Kubernetes names, as the typed client sends a list (a name holds no comma). Each is checked as
 * Kubernetes would, so a typo is a 400 naming the field rather than a silently empty list.
 */
const nameListSchema = z
  .string()
  .max(FIELD_LIMITS.path)
  .transform((text) => text.split(',').map((name) => name.trim()))
  .pipe(z.array(kubernetesNameSchema).max(MAX_ACTION_NAMES, `at most ${MAX_ACTION_NAMES} names`));

export const actionListQuerySchema = z.object({
  state: z
    .enum([...OPEN_STATES, ...FINAL_STATES])
    .optional()
    .describe('only actions in this state, e.g. awaiting-approval'),
  namespace: namespaceSchema.optional(),
  name: nameListSchema
    .optional()
    .describe(
      `only actions whose finding's workload or planned target has one of these names (comma-separated, at most ${MAX_ACTION_NAMES})`,
    ),
  since: timeQuerySchema
    .optional()
    .describe(
      'only actions created at or after this time; the newest-first scan stops at the first older one',
    ),
  updatedSince: timeQuerySchema
    .optional()
    .describe(
      "only actions updated (any step) at or after this time, newest update first, read from the index by update time: a page that asks again from the newest `updatedAt` it saw gets what changed since. The engine's replicas stamp `updatedAt` with their own clocks, so ask from a little before it",
    ),
  node: nameListSchema
    .optional()
    .describe(
      `only actions on a Node, or on a finding about a Node, with one of these names (comma-separated, at most ${MAX_ACTION_NAMES}); an incident's alerts name it in their \`node\` label`,
    ),
});

export const decisionBodySchema = z.object({ comment: z.string().max(1000).optional() }).default({});

export const auditQuerySchema = z.object({
  namespace: namespaceSchema.optional(),
  name: z.string().optional().describe('the target object (workload, node, pod)'),
  kind: z.string().optional(),
  actionId: z.string().optional(),
  since: timeQuerySchema.optional(),
  until: timeQuerySchema.optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});
export type RepairAuditQuery = z.infer<typeof auditQuerySchema>;

export const auditRecordDtoSchema = z.object({
  seq: z.number(),
  kind: z.enum(AUDIT_KINDS),
  at: z.string(),
  actionId: z.string().optional(),
  target: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }),
  rule: z.object({ id: z.string(), version: z.string() }).optional(),
  model: z.object({ inputHash: z.string(), outputHash: z.string() }).optional(),
  actor: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type RepairAuditRecordDto = z.infer<typeof auditRecordDtoSchema>;

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  records: z.number(),
  headHash: z.string(),
  brokenAt: z.object({ seq: z.number(), reason: z.string() }).optional(),
});
export type RepairAuditVerification = z.infer<typeof auditVerificationSchema>;

export const killSwitchSchema = z.object({
  on: z.boolean(),
  /** `config` when repair.killSwitch is set (only config can lift it), `api` when an admin set it. */
  source: z.enum(['config', 'api', 'off']),
  by: z.string().optional(),
  at: z.string().optional(),
});
export type RepairKillSwitch = z.infer<typeof killSwitchSchema>;

export const killSwitchBodySchema = z.object({ on: z.boolean() });
