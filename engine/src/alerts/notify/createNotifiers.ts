import type { Logger } from 'pino';
import type { WebhookConfig } from '../config.js';
import { RateLimitedNotifier } from './RateLimitedNotifier.js';
import { slackMessage } from './slackMessage.js';
import { WebhookNotifier } from './WebhookNotifier.js';

/** The one place notification targets are built from config, each behind its own rate limit. */
export function createNotifiers(webhooks: WebhookConfig[], logger?: Logger): RateLimitedNotifier[] {
  return webhooks.map((w, i) => {
    const name = `${w.format}#${i + 1} ${safeHost(w.url)}`;
    const inner = new WebhookNotifier(
      name,
      w.url,
      w.headers,
      w.format === 'slack' ? slackMessage : undefined,
    );
    return new RateLimitedNotifier(inner, w.ratePerMinute, logger);
  });
}

/** Slack webhook URLs carry their secret in the path: only the host is ever logged. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'target';
  }
}
