import type {
  CoreV1Event,
  V1ConfigMap,
  V1ControllerRevision,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1Job,
  V1Namespace,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1Secret,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ACTION_TYPES, FINDING_TYPES } from './rules/ruleSchema.js';

/**
 * Shared contracts of the repair loop. DETECT (detectors/) turns a ClusterSnapshot into Findings, DECIDE
 * (rules/planRepairs.ts) turns Findings into PlannedActions, ACT (executor/, actions/) carries them out.
 * Changes to this file stay additive: the acting half builds on it.
 */

export type FindingType = (typeof FINDING_TYPES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];
export type RepairMode = 'observe' | 'recommend' | 'approve' | 'auto';
export type Severity = 'info' | 'warning' | 'critical';

/** A Kubernetes object by identity. `namespace` is '' for cluster-scoped objects (Nodes, StorageClasses). */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

/**
 * A frozen view of a cluster: plain Kubernetes objects by kind, as `kubectl get -o yaml` prints them (or as
 * client-node returns them: timestamps may be Date objects or RFC 3339 strings; read them with snapshot/time.ts).
 * Every list is optional so a partial read (no RBAC for Secrets, say) still scans.
 */
export interface ClusterSnapshot {
  nodes?: V1Node[];
  namespaces?: V1Namespace[];
  deployments?: V1Deployment[];
  replicaSets?: V1ReplicaSet[];
  statefulSets?: V1StatefulSet[];
  daemonSets?: V1DaemonSet[];
  controllerRevisions?: V1ControllerRevision[];
  jobs?: V1Job[];
  cronJobs?: V1CronJob[];
  pods?: V1Pod[];
  events?: CoreV1Event[];
  services?: V1Service[];
  endpoints?: V1Endpoints[];
  persistentVolumeClaims?: V1PersistentVolumeClaim[];
  storageClasses?: V1StorageClass[];
  horizontalPodAutoscalers?: V2HorizontalPodAutoscaler[];
  configMaps?: V1ConfigMap[];
  /** Values are never needed (detectors only check that a key exists); readers should drop them. */
  secrets?: V1Secret[];
}

export type SnapshotKind = keyof ClusterSnapshot;

/** One Kubernetes event as evidence (both core/v1 and events.k8s.io shapes folded into one). */
export interface EvidenceEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  object: ObjectRef;
}

export interface FindingEvidence {
  /** Short status lines, e.g. `container app: waiting CrashLoopBackOff (restarts 14)`. */
  statuses: string[];
  events: EvidenceEvent[];
  /** The last log lines where a reader supplied them (the snapshot reader may leave this empty). */
  logTail: string[];
}

/** How fast the condition is getting worse, e.g. `{ value: 6, unit: 'restarts/hour' }`. */
export interface FindingRate {
  value: number;
  unit: string;
}

export interface Finding {
  /** Stable across scans while the condition holds: sha of type + object identity (not uid, which changes per pod). */
  fingerprint: string;
  type: FindingType;
  object: ObjectRef;
  /** Controllers above the object, nearest first: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, … */
  owners: ObjectRef[];
  /** The object a person (and an action) deals with: the top of the owner chain, or the object itself. */
  workload: ObjectRef;
  evidence: FindingEvidence;
  /** RFC 3339 time the condition began (as far as the snapshot shows). */
  since: string;
  /** Seconds the condition has held at scan time. */
  heldSeconds: number;
  rate?: FindingRate;
  severity: Severity;
  message: string;
  /** Detector-specific facts the planner reads (container names, limits, revisions, node names). */
  details: FindingDetails;
}

/** Facts the planner's conditions read; each detector fills what applies to it. */
export interface FindingDetails {
  /** Pods affected (names, same namespace as the object). */
  pods?: string[];
  /** Containers affected. */
  containers?: string[];
  /** Restarts, OOM kills, evicted pods, failed pods — whatever the finding counts. */
  occurrences?: number;
  /** Scheduling / waiting / termination reason in Kubernetes' words. */
  reason?: string;
  /** The memory limit in bytes per container (OOMKilled). */
  memoryLimitBytes?: Record<string, number>;
  /** Node the finding concerns (node findings, evictions). */
  node?: string;
  /** Pressure conditions on a node (`MemoryPressure`, `DiskPressure`, `PIDPressure`). */
  pressures?: string[];
  /** HPA facts. */
  hpa?: { minReplicas: number; maxReplicas: number; currentReplicas: number; utilisationRatio?: number };
  /** Missing ConfigMap/Secret/key named by the kubelet's message. */
  missing?: string;
  [key: string]: unknown;
}

export interface Detector {
  /** Unique, kebab-case (e.g. `crash-loop`). */
  name: string;
  /** The finding types it can produce. */
  types: readonly FindingType[];
  detect(snapshot: ClusterSnapshot, now: Date): Finding[];
}

export interface PlannedAction {
  type: ActionType;
  target: ObjectRef;
  /** Bounded by the rule schema; filled by the planner (e.g. `{ container, fromBytes, toBytes }`). */
  params: Record<string, unknown>;
  mode: RepairMode;
  ruleId: string;
  ruleVersion: number;
  findingFingerprint: string;
  reason: string;
  /** Who decided: the rules alone, or a model within them (planWithModel.ts). Absent means rules. */
  source?: 'rules' | 'model';
  /** The model exchange behind the decision, when one was asked; the audit keeps its hashes. */
  model?: ModelAdviceRecord;
}

/** What one applying rule would do about a finding: the choices a model picks among (planWithModel.ts). */
export interface RuleCandidate {
  ruleId: string;
  /** Every action the rule allows for the finding (a restart of several pods within the blast radius is one). */
  actions: PlannedAction[];
}

/** What a model was asked and answered about one finding, as hashes (the texts stay in the engine's logs only). */
export interface ModelAdviceRecord {
  /** `proposed`: no rule applied and the model's catalog action passed; `chose`: it picked among rule candidates;
   * `rejected`: its proposal failed the schema or the policies, so a person is told instead. */
  decision: 'proposed' | 'chose' | 'rejected';
  chatModel: string;
  /** sha256 of the canonical JSON of {model, system, prompt}. */
  inputHash: string;
  /** sha256 of the model's reply text. */
  outputHash: string;
}

/** A past action, for cooldowns and budgets (the ACT half records these; the planner only reads them). */
export interface RecentAction {
  type: ActionType;
  target: ObjectRef;
  ruleId: string;
  at: string;
}

export type {
  ActionSpec,
  MaintenanceWindow,
  RepairPolicy,
  RepairRule,
  RuleConditions,
  RuleFile,
  RuleFileInput,
  RuleMatch,
  VerifySpec,
} from './rules/ruleSchema.js';
