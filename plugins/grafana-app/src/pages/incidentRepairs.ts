import type { EngineApi, RepairActionQuery } from '../api/EngineApi';
import type { IncidentDto, RepairActionDto } from '../api/types';

/**
 * How long before the oldest shown incident opened its repairs are looked for. The repair loop acts on what it sees in
 * the cluster at once, while alerts reach the engine only after Prometheus' `for:` (often 5 minutes) and
 * Alertmanager's group wait and interval (30 s and 5 minutes by default): a repair can be planned up to about 10
 * minutes before the incident its alerts form opens.
 */
const REPAIR_LEAD_MS = 10 * 60_000;
/** Pages of repair actions (the engine's default size, 100) read per group of names: a bound on a refresh's cost. */
const MAX_REPAIR_PAGES = 10;
/** The engine takes at most 100 names and 4,096 characters in one filter; groups stay well below both. */
const NAMES_PER_REQUEST = 50;
const NAME_CHARS_PER_REQUEST = 2_000;
/** Repairs act on Kubernetes objects, so only a service or node named as Kubernetes names objects can have one. */
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/**
 * How far before the newest `updatedAt` already read a refresh asks again. Each engine replica stamps `updatedAt`
 * with its own clock when it moves an action (the leader when it applies, any replica when an operator approves), and
 * stamps it just before the record is stored: a replica whose clock is a little behind another's, or whose write
 * lands after a read that saw a later stamp, stores an update older than one already read. A minute covers the skew
 * of NTP-synchronised nodes many times over; the actions re-read in it are merged by id, so they cost a few records.
 */
const OVERLAP_MS = 60_000;

/** What the Alerts page keeps of its incidents' repair actions between refreshes. */
export interface RepairCache {
  /** The services and nodes whose actions were read, from `from` (epoch ms) on. */
  names: ReadonlySet<string>;
  from: number;
  /** By id: each refresh's answer replaces what it lists. */
  actions: ReadonlyMap<string, RepairActionDto>;
}

/**
 * The actions on the incidents' services and nodes since a little before the oldest of them opened, asked of the
 * engine by name and time: the newest page of all actions misses an older incident's repair once 100 newer ones exist.
 *
 * The first read (and the read after a new service or node appears, or an older incident) asks for every action
 * created since the oldest incident's lead. Each refresh after that asks one question: the actions updated since the
 * newest `updatedAt` read (less OVERLAP_MS), from the engine's index by update time, merged into the map by id, so a
 * new action and a step of an old one (approved, applied, verified) both arrive in it. Actions no shown incident
 * needs (of names none has, or created before the oldest incident's lead) are dropped. Resolves to the actions and
 * the cache for the next refresh; a failed request rejects and leaves `cache` as it was.
 */
export async function refreshIncidentRepairs(
  api: EngineApi,
  incidents: IncidentDto[],
  cache: RepairCache | undefined
): Promise<{ actions: RepairActionDto[]; cache?: RepairCache }> {
  const names = new Set(incidents.flatMap(subjectsOf));
  if (names.size === 0) {
    return { actions: [] };
  }
  const from = Math.min(...incidents.map((i) => Date.parse(i.openedAt))) - REPAIR_LEAD_MS;
  const reuse = cache && from >= cache.from && [...names].every((name) => cache.names.has(name)) ? cache : undefined;

  const actions = new Map<string, RepairActionDto>();
  for (const action of reuse?.actions.values() ?? []) {
    if (actionNames(action).some((name) => names.has(name)) && Date.parse(action.createdAt) >= from) {
      actions.set(action.id, action);
    }
  }
  const newest = Math.max(from, ...[...actions.values()].map((a) => Date.parse(a.updatedAt)));
  const query = {
    since: new Date(from).toISOString(),
    ...(reuse ? { updatedSince: new Date(Math.max(from, newest - OVERLAP_MS)).toISOString() } : {}),
  };
  const read = await readGroups(api, [...names], query);
  read.actions.forEach((a) => actions.set(a.id, a));
  return {
    // Newest first, as the engine lists them by creation.
    actions: [...actions.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
    // A first read cut off at MAX_REPAIR_PAGES leaves the oldest actions unread (the cap bounds a refresh's cost);
    // an update read cut off leaves updates older than the newest one read unread, so the next refresh starts over.
    ...(read.complete || !reuse ? { cache: { names, from, actions } } : {}),
  };
}

/**
 * The actions shown with an incident: those on (or found on) one of its services, and for the nodes its alerts name
 * (`node=`, as the engine labels a node's repair finding and Kubernetes' node alerts) those on that Node.
 */
export function repairsOfIncident(incident: IncidentDto, actions: RepairActionDto[]): RepairActionDto[] {
  const services = new Set(incident.services);
  const nodes = new Set(nodesOf(incident));
  const onNode = (ref: { kind: string; name: string }) => ref.kind === 'Node' && nodes.has(ref.name);
  return actions.filter(
    (a) =>
      services.has(a.finding.workload.name) ||
      services.has(a.planned.target.name) ||
      onNode(a.finding.workload) ||
      onNode(a.planned.target)
  );
}

const nodesOf = (incident: IncidentDto) => incident.alerts.flatMap((a) => (a.labels.node ? [a.labels.node] : []));

/**
 * The names an incident's repairs are asked for by: its services and its alerts' nodes. The engine's `name` filter
 * matches an action's finding workload, which for a node's finding is the Node, so one filter asks for both.
 */
const subjectsOf = (incident: IncidentDto) =>
  [...incident.services, ...nodesOf(incident)].filter((name) => name.length <= 253 && KUBERNETES_NAME.test(name));

/** The names an action is found by: its finding's workload and its planned target (the engine's `name` filter). */
const actionNames = (a: RepairActionDto) => [a.finding.workload.name, a.planned.target.name];

/** The actions on `names` the query selects, by groups of names, each followed over its pages. */
async function readGroups(
  api: EngineApi,
  names: string[],
  query: Pick<RepairActionQuery, 'since' | 'updatedSince'>
): Promise<{ actions: RepairActionDto[]; complete: boolean }> {
  const groups = await Promise.all(nameGroups(names).map((name) => actionPages(api, { ...query, name })));
  // An action can match two groups (its finding's workload in one, its target in another).
  const actions = [...new Map(groups.flatMap((g) => g.actions).map((a) => [a.id, a])).values()];
  return { actions, complete: groups.every((g) => g.complete) };
}

/** The pages of one query, up to MAX_REPAIR_PAGES; `complete` is false when the cap cut the read off. */
async function actionPages(
  api: EngineApi,
  query: RepairActionQuery
): Promise<{ actions: RepairActionDto[]; complete: boolean }> {
  const actions: RepairActionDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_REPAIR_PAGES; page++) {
    const { items, nextCursor } = await api.repairActions({ ...query, ...(cursor ? { cursor } : {}) });
    actions.push(...items);
    if (!nextCursor) {
      return { actions, complete: true };
    }
    cursor = nextCursor;
  }
  return { actions, complete: false };
}

/** The names in groups of at most NAMES_PER_REQUEST names and NAME_CHARS_PER_REQUEST characters joined. */
function nameGroups(names: string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const name of names) {
    if (current.length === NAMES_PER_REQUEST || chars + name.length + 1 > NAME_CHARS_PER_REQUEST) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(name);
    chars += name.length + 1;
  }
  return [...groups, current];
}
