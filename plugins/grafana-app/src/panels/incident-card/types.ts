/** The incident card's panel options (set in the panel editor, stored in the dashboard JSON). */
export interface IncidentCardOptions {
  /** Show this incident; empty shows the latest open one. */
  incidentId: string;
  /** Only incidents touching this service; empty means any service. */
  service: string;
  /** How many of the linked analysis' causes to list, highest score first. */
  maxCauses: number;
  /** How often the card reads the engine again; dashboards without a query do not refresh a panel by themselves. */
  refreshSeconds: number;
}

export const DEFAULT_OPTIONS: IncidentCardOptions = { incidentId: '', service: '', maxCauses: 3, refreshSeconds: 30 };
