import type { EngineApi } from '../../api/EngineApi';
import type { IncidentDto, RcaCandidate, RcaResult } from '../../api/types';
import type { IncidentCardOptions } from './types';

export interface IncidentCard {
  /** Undefined when no open incident matches (the empty state). */
  incident?: IncidentDto;
  /** The linked analysis, once the engine has stored its result. */
  rca?: RcaResult;
  /** Why the linked analysis could not be read (usually: still running, so not stored yet). */
  rcaError?: unknown;
}

/** The open incident most recently opened, optionally only among those touching `service`. */
export function latestOpenIncident(incidents: IncidentDto[], service: string): IncidentDto | undefined {
  const wanted = service.trim();
  return incidents
    .filter((i) => i.status === 'open' && (wanted === '' || i.services.includes(wanted)))
    .sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt))[0];
}

/** The analysis' candidates, highest score first, at most `max`. */
export function topCauses(rca: RcaResult, max: number): RcaCandidate[] {
  return [...rca.candidates].sort((a, b) => b.score - a.score).slice(0, Math.max(1, Math.floor(max)));
}

/** Alerts the incident holds, including those the engine stopped listing (`truncatedAlerts`). */
export const alertCount = (incident: IncidentDto): number => incident.alerts.length + incident.truncatedAlerts;

/**
 * Reads what the card shows, with Viewer calls only (GET through the app's `engine` route): the chosen or latest open
 * incident, then its linked analysis. A missing analysis is data, not a failure of the card.
 */
export async function loadIncidentCard(
  api: EngineApi,
  options: Pick<IncidentCardOptions, 'incidentId' | 'service'>
): Promise<IncidentCard> {
  const id = options.incidentId.trim();
  const incident = id
    ? await api.incident(id)
    : latestOpenIncident(await api.incidents({ status: 'open', limit: 1000 }), options.service);
  if (!incident?.rcaId) {
    return { incident };
  }
  try {
    return { incident, rca: await api.rca(incident.rcaId) };
  } catch (rcaError) {
    return { incident, rcaError };
  }
}
