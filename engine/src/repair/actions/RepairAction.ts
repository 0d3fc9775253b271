import type { z } from 'zod';
import { EngineError, describeIssues, fieldIssuesFromZod } from '../../errors.js';
import type { ActionType, ClusterSnapshot, ObjectRef } from '../types.js';

/** A Kubernetes object as the API addresses it. `namespace` is '' for cluster-scoped kinds (Nodes). */
export interface KubeRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export type KubePatchType = 'merge' | 'strategic' | 'json';

/**
 * One concrete call to the API server. `resourceVersion` (and `uid` for deletes) is the precondition: the executor
 * sends it (a json-patch `test`, `metadata.resourceVersion` in a merge patch, DeleteOptions.preconditions), so a
 * write planned against one state of the object never lands on another. Reverse requests leave it empty and get the
 * version read just before the rollback.
 */
export type KubeRequest =
  | {
      verb: 'patch';
      ref: KubeRef;
      patchType: KubePatchType;
      /** An object for merge/strategic patches, an operation list for json patches. */
      body: unknown;
      resourceVersion?: string;
      description: string;
    }
  | {
      verb: 'delete';
      ref: KubeRef;
      gracePeriodSeconds?: number;
      resourceVersion?: string;
      uid?: string;
      description: string;
    }
  | {
      /** A policy/v1 Eviction of a pod: the API server refuses it (429) when a PodDisruptionBudget would be violated. */
      verb: 'evict';
      ref: KubeRef;
      gracePeriodSeconds?: number;
      resourceVersion?: string;
      uid?: string;
      description: string;
    };

export interface ActionPlan {
  /** The change, in order. Empty for `notify`. */
  requests: KubeRequest[];
  /** What undoes it, in order; empty when nothing can (a deleted pod), see `reversible`. */
  reverse: KubeRequest[];
  reversible: boolean;
  summary: string;
  /** Facts the audit keeps (the revision rolled back to, old and new limits, the pods deleted). */
  details: Record<string, unknown>;
}

/**
 * One repair action: bounded parameters and a plan from a snapshot. The executor runs plans without knowing which
 * action made them (STYLE.md: one strategy per fix, registered in actions/index.ts).
 */
export interface RepairAction<P = Record<string, unknown>> {
  readonly type: ActionType;
  /** Kinds the action can target. */
  readonly targetKinds: readonly string[];
  /** Parses and bounds params; throws INVALID_INPUT naming the field. */
  validate(params: unknown): P;
  /** The concrete requests for this target in this snapshot; throws POLICY_DENIED when acting would be unsafe. */
  plan(target: ObjectRef, params: P, snapshot: ClusterSnapshot): ActionPlan;
}

export function defineAction<S extends z.ZodType>(spec: {
  type: ActionType;
  targetKinds: readonly string[];
  params: S;
  plan(target: ObjectRef, params: z.infer<S>, snapshot: ClusterSnapshot): ActionPlan;
}): RepairAction<z.infer<S>> {
  return {
    type: spec.type,
    targetKinds: spec.targetKinds,
    validate(params) {
      const parsed = spec.params.safeParse(params ?? {});
      if (!parsed.success) {
        const issues = fieldIssuesFromZod(parsed.error.issues, 'params');
        throw new EngineError('INVALID_INPUT', `invalid params for ${spec.type}: ${describeIssues(issues)}`, {
          issues,
        });
      }
      return parsed.data;
    },
    plan(target, params, snapshot) {
      if (!spec.targetKinds.includes('*') && !spec.targetKinds.includes(target.kind)) {
        throw new EngineError('INVALID_INPUT', `${spec.type} cannot act on a ${target.kind}`, {
          issues: [{ field: 'target.kind', message: `must be one of ${spec.targetKinds.join(', ')}` }],
        });
      }
      return spec.plan(target, params, snapshot);
    },
  };
}

export function denied(message: string): EngineError {
  return new EngineError('POLICY_DENIED', message);
}
