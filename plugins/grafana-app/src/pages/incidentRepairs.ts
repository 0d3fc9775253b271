import type { EngineApi, RepairActionQuery } from '../api/EngineApi';
import type { IncidentDto, RepairActionDto } from '../api/types';

/**
 * How long before the oldest shown incident opened its repairs are looked for. The repair loop acts on what it sees in
 * the cluster at once, while alerts reach the engine only after Prometheus' `for:` (often 5 minutes) and
 * Alertmanager's group wait and interval (30 s and 5 minutes by default): a repair can be planned up to about 10
 * minutes before the incident its alerts form opens.
 */
const REPAIR_LEAD_MS = 10 * 60_000;
/** Pages of repair actions (the engine's default size, 100) read per group of names: a bound on a page's cost. */
const MAX_REPAIR_PAGES = 10;
/** The engine takes at most 100 names and 4,096 characters in one filter; groups stay well below both. */
const NAMES_PER_REQUEST = 50;
const NAME_CHARS_PER_REQUEST = 2_000;
/** Repairs act on Kubernetes objects, so only a service named as Kubernetes names objects can have one (RFC 1123). */
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * How far before the newest action already read a refresh reads again. `since` compares an action's creation time,
 * stamped by the engine replica that led when it was planned; after a Lease handover the new leader's clock may be
 * a little behind the old one's, and a record is stamped just before it is stored, so an action can appear with a
 * creation time slightly before one already read.
 */
const OVERLAP_MS = 60_000;
/**
 * When the incidents' services have no recent action the newest one read says nothing about the engine's "now", and
 * reading from it again would re-read every other service's actions since then on each refresh. The browser's clock
 * bounds that window instead, trusting it to within this margin of the engine's (a clock further ahead misses new
 * actions until the next full read, RESYNC_MS).
 */
const CLOCK_MARGIN_MS = 5 * 60_000;
/**
 * Everything is read in full again this often: it bounds what the incremental reads can miss (a browser clock far
 * ahead, records the engine expired or lost), at one full read per 5 minutes instead of one per 10 s refresh.
 */
const RESYNC_MS = 5 * 60_000;

/**
 * The states the engine's executor still moves an action out of (OPEN_STATES in the engine's ActionRecord.ts): only
 * actions in one of these can change, and the engine reads them from its small index of open actions. A state this
 * list does not know (a newer engine's) is taken as final until the next full read.
 */
const OPEN_STATES: ReadonlySet<RepairActionDto['state']> = new Set<RepairActionDto['state']>([
  'pending',
  'awaiting-approval',
  'approved',
  'applying',
  'verifying',
  'recommended',
]);

/** What the Alerts page keeps of the incidents' repair actions between refreshes. */
export interface RepairCache {
  /** The names whose actions have been read since `from` (epoch ms). */
  names: ReadonlySet<string>;
  from: number;
  actions: ReadonlyMap<string, RepairActionDto>;
  /** Every action on `names` created before this (epoch ms, the engine's clock) has been read. */
  upTo: number;
  /** When everything was last read in full (epoch ms, the browser's clock). */
  fullAt: number;
}

/**
 * The actions on the incidents' services since a little before the oldest of them opened, asked of the engine by name
 * and time: the newest page of all actions misses an older incident's repair once 100 newer ones exist.
 *
 * With `cache` from the previous refresh, only what may have changed is read:
 * - actions created since the newest one read (less OVERLAP_MS): the engine's `since` compares creation time and
 *   its scan stops there, so this reads the last minute or so of actions rather than every one since the incident;
 * - actions the cache holds in an open state, asked for by that state: the engine has no "updated since" filter,
 *   but a state filter on an open state reads its index of open actions only. One that is no longer listed in its
 *   state has moved on, and the time window of this refresh is widened back to its creation, once, to read what it
 *   became;
 * - services not read before (a new incident), and everything when an older incident appears or RESYNC_MS passed,
 *   read in full.
 * Actions no shown incident needs (of services none has, or older than the oldest incident's lead) are dropped.
 * Resolves to the actions and the cache for the next refresh; a failed request rejects and leaves `cache` as it was.
 */
export async function refreshIncidentRepairs(
  api: EngineApi,
  incidents: IncidentDto[],
  cache: RepairCache | undefined,
  now = Date.now()
): Promise<{ actions: RepairActionDto[]; cache?: RepairCache }> {
  const names = new Set(
    incidents.flatMap((i) => i.services).filter((name) => name.length <= 253 && KUBERNETES_NAME.test(name))
  );
  if (names.size === 0) {
    return { actions: [] };
  }
  const from = Math.min(...incidents.map((i) => Date.parse(i.openedAt))) - REPAIR_LEAD_MS;
  const reuse = cache && from >= cache.from && now - cache.fullAt < RESYNC_MS ? cache : undefined;
  const known = [...names].filter((name) => reuse?.names.has(name));
  const fresh = [...names].filter((name) => !reuse?.names.has(name));

  const actions = new Map<string, RepairActionDto>();
  for (const action of reuse?.actions.values() ?? []) {
    if (actionNames(action).some((name) => names.has(name)) && Date.parse(action.createdAt) >= from) {
      actions.set(action.id, action);
    }
  }

  // Open actions still listed in their state are current; the oldest one that is not sets how far back to read.
  const open = [...actions.values()].filter((a) => OPEN_STATES.has(a.state));
  const byState = new Map<string, RepairActionDto[]>();
  open.forEach((a) => byState.set(a.state, [...(byState.get(a.state) ?? []), a]));
  const stillOpen = await Promise.all(
    [...byState].map(async ([state, inState]) => {
      const since = Math.min(...inState.map((a) => Date.parse(a.createdAt)));
      const stateNames = [...new Set(inState.flatMap(actionNames))].filter((name) => names.has(name));
      return scan(api, stateNames, since, { state });
    })
  );
  const listed = new Set<string>();
  for (const read of stillOpen) {
    for (const action of read.actions) {
      listed.add(action.id);
      actions.set(action.id, action);
    }
  }
  const moved = open.filter((a) => !listed.has(a.id)).map((a) => Date.parse(a.createdAt));
  const since = Math.max(from, Math.min(reuse?.upTo ?? from, ...moved));

  const reads = await Promise.all([scan(api, fresh, from), scan(api, known, since)]);
  for (const read of reads) {
    // A complete read of a window is the truth for it: an action it no longer lists is gone from the engine.
    for (const [id, action] of actions) {
      if (Date.parse(action.createdAt) >= read.complete && actionNames(action).some((name) => read.names.has(name))) {
        actions.delete(id);
      }
    }
    read.actions.forEach((a) => actions.set(a.id, a));
  }

  const newest = Math.max(...reads.flatMap((r) => r.actions.map((a) => Date.parse(a.createdAt))));
  const upTo = Math.max(from, newest - OVERLAP_MS, now - CLOCK_MARGIN_MS);
  return {
    // Newest first, as the engine lists them and the page showed them when it read everything each time.
    actions: [...actions.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
    cache: { names, from, actions, upTo, fullAt: reuse?.fullAt ?? now },
  };
}

/** The names an action is found by: its finding's workload and its planned target (the engine's `name` filter). */
const actionNames = (a: RepairActionDto) => [a.finding.workload.name, a.planned.target.name];

interface Read {
  names: ReadonlySet<string>;
  actions: RepairActionDto[];
  /** The window read in full: every action on `names` created at or after this (epoch ms) is in `actions`. */
  complete: number;
}

/** The actions on `names` created at or after `since`, by groups of names, each followed over its pages. */
async function scan(
  api: EngineApi,
  names: string[],
  since: number,
  filter: Pick<RepairActionQuery, 'state'> = {}
): Promise<Read> {
  if (names.length === 0) {
    return { names: new Set(), actions: [], complete: since };
  }
  const query = { ...filter, since: new Date(since).toISOString() };
  const groups = await Promise.all(nameGroups(names).map((name) => actionPages(api, { ...query, name })));
  // An action can match two groups (its finding's workload in one, its target in another).
  const actions = [...new Map(groups.flatMap((g) => g.actions).map((a) => [a.id, a])).values()];
  return { names: new Set(names), actions, complete: Math.max(since, ...groups.map((g) => g.complete)) };
}

/** The pages of one query, up to MAX_REPAIR_PAGES; `complete` is where a cut-off read stopped, else `since`. */
async function actionPages(
  api: EngineApi,
  query: RepairActionQuery & { since: string }
): Promise<{ actions: RepairActionDto[]; complete: number }> {
  const actions: RepairActionDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_REPAIR_PAGES; page++) {
    const { items, nextCursor } = await api.repairActions({ ...query, ...(cursor ? { cursor } : {}) });
    actions.push(...items);
    if (!nextCursor) {
      return { actions, complete: Date.parse(query.since) };
    }
    cursor = nextCursor;
  }
  // Newest first: what is older than the last action read was not read (the cap bounds a refresh's cost, as before),
  // nor, perhaps, another created in the same millisecond as it. A refresh cut off this way leaves that gap unread
  // until the next full read: more than 1,000 new actions on the services in 10 s.
  return { actions, complete: Date.parse(actions.at(-1)!.createdAt) + 1 };
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
