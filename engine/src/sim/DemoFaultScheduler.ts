import type { Logger } from 'pino';
import { FAULT_TYPES, type Fault, type FaultLedger, type FaultType } from './faults.js';
import { SHOP_NAMESPACE, SHOP_SERVICES } from './shop.js';
import { seededRandom } from '../util/seededRandom.js';

export interface DemoFaultSchedulerOptions {
  ledger: FaultLedger;
  logger: Logger;
  seed: number;
  /** Seconds between injected faults. */
  intervalSeconds: number;
  /** How long each fault lasts before it heals, seconds. */
  durationSeconds?: number;
}

/**
 * Keeps the demo interesting: injects one fault right away (backdated, so an incident is already under way when the
 * engine starts) and another every interval, each healing after a while. Deterministic for a seed.
 */
export class DemoFaultScheduler {
  private timer?: NodeJS.Timeout;
  private readonly healTimers = new Set<NodeJS.Timeout>();
  private rng: () => number;
  private count = 0;

  constructor(private readonly options: DemoFaultSchedulerOptions) {
    this.rng = seededRandom(options.seed);
  }

  start(): void {
    const now = Date.now() / 1000;
    this.injectNext(now - 15 * 60);
    this.timer = setInterval(() => this.injectNext(Date.now() / 1000), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const t of this.healTimers) clearTimeout(t);
    this.healTimers.clear();
  }

  private injectNext(startedAt: number): Fault {
    // Kinds that break the front door only (frontend) make dull demos; pick a backend service.
    const candidates = SHOP_SERVICES.filter((s) => s.name !== 'frontend');
    const service = candidates[Math.floor(this.rng() * candidates.length)]!;
    const types = FAULT_TYPES.filter(
      (t): t is Exclude<FaultType, 'node-not-ready'> => t !== 'node-not-ready',
    );
    const type = types[this.count++ % types.length]!;
    const fault = this.options.ledger.inject({
      type,
      namespace: SHOP_NAMESPACE,
      service: service.name,
      startedAt,
    });
    this.options.logger.info({ fault: fault.id, type, service: service.name }, 'demo: injected fault');
    const durationSeconds = this.options.durationSeconds ?? Math.max(120, this.options.intervalSeconds * 0.6);
    // A backdated fault still runs for a full duration from now, so the demo opens on a live incident.
    const remaining = Math.max(startedAt, Date.now() / 1000) + durationSeconds - Date.now() / 1000;
    const heal = setTimeout(() => {
      this.healTimers.delete(heal);
      this.options.ledger.resolve(fault.id);
      this.options.logger.info({ fault: fault.id }, 'demo: fault healed');
    }, remaining * 1000);
    heal.unref();
    this.healTimers.add(heal);
    return fault;
  }
}
