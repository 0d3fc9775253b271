import { EngineError } from '../../errors.js';
import type { ActionType } from '../types.js';
import { cordonNode } from './cordonNode.js';
import { deleteEvictedPods } from './deleteEvictedPods.js';
import { drainNode } from './drainNode.js';
import { notify } from './notify.js';
import { raiseHpaMax } from './raiseHpaMax.js';
import { raiseMemoryLimit } from './raiseMemoryLimit.js';
import type { RepairAction } from './RepairAction.js';
import { restartPod } from './restartPod.js';
import { rollback } from './rollback.js';
import { rolloutRestart } from './rolloutRestart.js';
import { scale } from './scale.js';

/** The action catalog: the one place actions are registered. The executor looks them up here by type. */
export const ACTIONS: Record<ActionType, RepairAction<unknown>> = {
  'restart-pod': restartPod,
  'rollout-restart': rolloutRestart,
  rollback,
  'raise-memory-limit': raiseMemoryLimit,
  scale,
  'cordon-node': cordonNode,
  'drain-node': drainNode,
  'delete-evicted-pods': deleteEvictedPods,
  'raise-hpa-max': raiseHpaMax,
  notify,
};

export function actionFor(type: string): RepairAction<unknown> {
  const action = (ACTIONS as Record<string, RepairAction<unknown>>)[type];
  if (!action) {
    throw new EngineError('INVALID_INPUT', `unknown action "${type}"`, {
      issues: [{ field: 'type', message: `must be one of ${Object.keys(ACTIONS).join(', ')}` }],
    });
  }
  return action;
}

export type { ActionPlan, KubeRef, KubeRequest, RepairAction } from './RepairAction.js';
