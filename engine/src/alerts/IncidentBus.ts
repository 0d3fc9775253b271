import type { Store } from '../store/Store.js';
import type { Logger } from 'pino';

export interface IncidentEvent {
  /** `opened`, `updated`, `notified`, `acknowledged`, `resolved`. */
  type: string;
  incident: { id: string; status: string; title: string; severity: string; services: string[]; alertCount: number; notifiedAt?: string; rcaId?: string };
  at: string;
}

const CHANNEL = 'alerts:incident-events';

/**
 * The live incident stream. Published through the store's pub/sub, so with Redis every replica's SSE clients see
 * every replica's incidents; with the memory store it stays in the process.
 */
export class IncidentBus {
  constructor(
    private readonly store: Store,
    private readonly logger?: Logger,
  ) {}

  publish(event: IncidentEvent): void {
    this.store.publish(CHANNEL, JSON.stringify(event)).catch((error: unknown) => {
      this.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'incident stream: publish failed');
    });
  }

  subscribe(listener: (event: IncidentEvent) => void): Promise<() => Promise<void>> {
    return this.store.subscribe(CHANNEL, (message) => listener(JSON.parse(message) as IncidentEvent));
  }
}
