import type { Logger } from 'pino';
import type { NotificationMessage, Notifier } from './Notifier.js';

/**
 * A token bucket in front of a notifier: at most `ratePerMinute` sends a minute (bursts up to the same number);
 * the rest wait in a bounded queue, oldest dropped first when it is full (counted), so a storm never floods a channel.
 */
export class RateLimitedNotifier implements Notifier {
  readonly name: string;
  private tokens: number;
  private last: number;
  private readonly queue: NotificationMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  dropped = 0;
  failed = 0;
  sent = 0;

  constructor(
    private readonly inner: Notifier,
    private readonly ratePerMinute: number,
    private readonly logger?: Logger,
    private readonly maxQueue = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.name = inner.name;
    this.tokens = ratePerMinute;
    this.last = now();
  }

  async send(message: NotificationMessage): Promise<void> {
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(message);
    this.drain();
  }

  /** Pending sends, for tests and shutdown. */
  get queued(): number {
    return this.queue.length;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): void {
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      const message = this.queue.shift()!;
      this.inner.send(message).then(
        () => this.sent++,
        (error: unknown) => {
          this.failed++;
          this.logger?.warn(
            { err: error instanceof Error ? error.message : String(error), target: this.name },
            'notification failed',
          );
        },
      );
    }
    if (this.queue.length > 0 && !this.timer) {
      const waitMs = Math.ceil(((1 - this.tokens) * 60_000) / this.ratePerMinute);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, waitMs);
      this.timer.unref();
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(
      this.ratePerMinute,
      this.tokens + ((now - this.last) / 60_000) * this.ratePerMinute,
    );
    this.last = now;
  }
}
