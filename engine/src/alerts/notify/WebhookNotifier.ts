import { EngineError } from '../../errors.js';
import { NO_REDIRECTS, splitUrlCredentials } from '../../util/urlCredentials.js';
import type { NotificationMessage, Notifier } from './Notifier.js';

/** POSTs the engine's notification JSON (or a transformed body) to a URL. */
export class WebhookNotifier implements Notifier {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly name: string,
    url: string,
    headers: Record<string, string> = {},
    private readonly format: (message: NotificationMessage) => unknown = (m) => m,
    private readonly timeoutMs = 10_000,
  ) {
    // fetch refuses a URL with `user:password@`: those travel as a Basic header (configured headers win).
    const split = splitUrlCredentials(new URL(url));
    this.url = split.url;
    this.headers = { ...split.headers, ...headers };
  }

  async send(message: NotificationMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(this.format(message)),
      ...NO_REDIRECTS,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok)
      throw new EngineError('UPSTREAM_ERROR', `notification target ${this.name} answered ${response.status}`);
  }
}
