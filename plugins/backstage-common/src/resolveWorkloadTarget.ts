import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from './annotations';

export interface WorkloadTarget {
  /** Undefined means the engine's default namespace. */
  namespace?: string;
  labelSelector: string;
}

// Kubernetes' own syntax rules: a label value, and a namespace (DNS-1123 label).
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Selector terms: `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a)`, `key`, `!key`.
const SELECTOR_TERM =
  /^!?[A-Za-z0-9][-A-Za-z0-9_./]*(\s*(=|==|!=)\s*[A-Za-z0-9_.-]*|\s+(in|notin)\s+\(\s*[A-Za-z0-9_.-]*(\s*,\s*[A-Za-z0-9_.-]*)*\s*\))?$/;

/**
 * Which workloads belong to an entity. As in Backstage's Kubernetes plugin, an explicit label selector wins over the
 * kubernetes-id, which stands for the selector `backstage.io/kubernetes-id=<id>`.
 */
export function resolveWorkloadTarget(entity: Entity): WorkloadTarget {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();

  if (namespace !== undefined && (namespace.length > 63 || !NAMESPACE.test(namespace))) {
    throw new InputError(`annotation ${KUBERNETES_NAMESPACE_ANNOTATION}: '${namespace}' is not a valid namespace name`);
  }
  const target = (labelSelector: string): WorkloadTarget =>
    namespace ? { namespace, labelSelector } : { labelSelector };

  if (selector) {
    if (selector.length > 1024 || !splitSelector(selector).every((term) => SELECTOR_TERM.test(term))) {
      throw new InputError(`annotation ${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: '${selector}' is not a label selector`);
    }
    return target(selector);
  }
  if (id) {
    if (id.length > 63 || !LABEL_VALUE.test(id)) {
      throw new InputError(`annotation ${KUBERNETES_ID_ANNOTATION}: '${id}' is not a valid label value`);
    }
    return target(`${KUBERNETES_ID_ANNOTATION}=${id}`);
  }
  throw new InputError(
    `entity has neither a ${KUBERNETES_ID_ANNOTATION} nor a ${KUBERNETES_LABEL_SELECTOR_ANNOTATION} annotation`,
  );
}

/** Splits on the commas between terms, not those inside `in (...)` sets. */
function splitSelector(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current.trim());
  return terms;
}
