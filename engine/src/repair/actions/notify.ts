import { z } from 'zod';
import { defineAction } from './RepairAction.js';

/** Tells a person and touches nothing: no requests, so nothing to dry-run, apply or undo. */
export const notify = defineAction({
  type: 'notify',
  targetKinds: ['*'],
  params: z.object({ channel: z.string().min(1).max(200).optional() }),
  plan(target, params) {
    const where = target.namespace ? `${target.namespace}/` : '';
    return {
      requests: [],
      reverse: [],
      reversible: true,
      summary: `notify${params.channel ? ` ${params.channel}` : ''} about ${target.kind} ${where}${target.name}`,
      details: params.channel ? { channel: params.channel } : {},
    };
  },
});
