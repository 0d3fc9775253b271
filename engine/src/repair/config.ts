import { z } from 'zod';
import { repairModeSchema, repairPolicySchema } from './rules/ruleSchema.js';

/**
 * The `repair` config section. Safe by default: every action is at most a recommendation (shadow mode) until an
 * operator raises `maxMode`, and the engine acts on a cluster only while it holds the repair Lease.
 */
export const repairConfigSchema = z
  .object({
    /** Scan, plan and act on a schedule (and let the API run scans); off leaves only the CLI's one-shot scans. */
    enabled: z.boolean().default(true),
    /** Seconds between scans (each also advances in-flight actions: verification, approvals, shadow follow-up). */
    scanIntervalSeconds: z.coerce.number().positive().default(60),
    /** Seconds between steps of in-flight actions (dry-run, apply, verification checks). */
    tickSeconds: z.coerce.number().positive().default(5),
    /** The most any rule may do; `recommend` is shadow mode: report what it would do, touch nothing. */
    maxMode: repairModeSchema.default('recommend'),
    /** Stops all acting at once (the API can turn it on too; only config and an admin can turn it off). */
    killSwitch: z.boolean().default(false),
    /** A YAML rule file replacing the shipped defaults. */
    rulesFile: z.string().optional(),
    /** Namespaces scanned; empty scans every namespace the engine may list. */
    namespaces: z.array(z.string().min(1)).default([]),
    protectedNamespaces: repairPolicySchema.shape.protectedNamespaces,
    /** Seconds an approval request stays valid. */
    approvalTtlSeconds: z.coerce
      .number()
      .int()
      .min(30)
      .max(7 * 86_400)
      .default(3600),
    /** Loop breaker: no more than `maxActions` changes to one object within `windowSeconds`. */
    loopBreaker: z
      .object({
        maxActions: z.coerce.number().int().min(1).max(100).default(3),
        windowSeconds: z.coerce.number().int().min(60).default(3600),
      })
      .default({ maxActions: 3, windowSeconds: 3600 }),
    /** How long a shadow recommendation is watched for the condition clearing by itself. */
    shadowHorizonSeconds: z.coerce.number().int().min(60).default(3600),
    /**
     * A model (the engine's `model` section) may propose a catalog action where no rule applies, or pick among the
     * rules' candidates; its actions pass the same schema, guards and policy and never write by themselves.
     */
    model: z
      .object({
        /** Off by default; with `model.provider: none` it stays off whatever this says (rules alone). */
        enabled: z.boolean().default(false),
        /** The mode a model's action asks for, capped by `maxMode` like any rule's; `approve` needs a person. */
        mode: repairModeSchema.default('approve'),
        /** A scan waits at most this long for the model, then plans with the rules alone. */
        timeoutSeconds: z.coerce.number().positive().max(300).default(20),
        /** Most model calls per plan (each uncovered finding or tie is one). */
        maxCallsPerPlan: z.coerce.number().int().min(1).max(100).default(5),
        /** Seconds a reply to the same prompt is reused (scans repeat every scanIntervalSeconds); 0 disables. */
        cacheSeconds: z.coerce.number().int().min(0).default(900),
      })
      .default({
        enabled: false,
        mode: 'approve',
        timeoutSeconds: 20,
        maxCallsPerPlan: 5,
        cacheSeconds: 900,
      }),
    /** The Lease only one engine replica holds while it acts. */
    lease: z
      .object({
        namespace: z.string().min(1).optional(),
        name: z.string().min(1).default('aicloudops-repair'),
        durationSeconds: z.coerce.number().int().min(5).max(300).default(15),
      })
      .default({ name: 'aicloudops-repair', durationSeconds: 15 }),
  })
  .default({
    enabled: true,
    scanIntervalSeconds: 60,
    tickSeconds: 5,
    maxMode: 'recommend',
    killSwitch: false,
    namespaces: [],
    protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
    approvalTtlSeconds: 3600,
    loopBreaker: { maxActions: 3, windowSeconds: 3600 },
    shadowHorizonSeconds: 3600,
    model: { enabled: false, mode: 'approve', timeoutSeconds: 20, maxCallsPerPlan: 5, cacheSeconds: 900 },
    lease: { name: 'aicloudops-repair', durationSeconds: 15 },
  });

export type RepairConfig = z.infer<typeof repairConfigSchema>;
