import { parseAllDocuments } from 'yaml';
import type { ClusterSnapshot } from '../types.js';
import { addToSnapshot } from './kinds.js';

/**
 * Multi-document YAML as `kubectl get -o yaml` prints it (documents or `kind: List` wrappers) → a ClusterSnapshot.
 * Kinds the repair loop does not read are skipped; a malformed document throws with its index.
 */
export function parseSnapshotYaml(text: string): ClusterSnapshot {
  const snapshot: ClusterSnapshot = {};
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`YAML document ${i}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as { kind?: string; items?: Array<{ kind?: string }> } | null;
    if (!value) return;
    addToSnapshot(snapshot, value.kind === 'List' ? (value.items ?? []) : [value]);
  });
  return snapshot;
}
