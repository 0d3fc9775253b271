import type { NotificationMessage } from './Notifier.js';

/** Slack incoming-webhook JSON (`text` for notifications, `blocks` for the message); Mattermost accepts the same. */
export function slackMessage(message: NotificationMessage): { text: string; blocks: unknown[] } {
  const verb =
    message.kind === 'opened' ? 'Incident' : message.kind === 'updated' ? 'Incident grew' : 'Resolved';
  const title = `${verb} [${message.incident.severity}] ${message.incident.title}`;
  const e = escapeMrkdwn;
  const lines = message.alerts
    .slice(0, 10)
    .map(
      (a) =>
        `• *${e(a.alertname)}*${a.service ? ` on ${e(a.service)}` : ''}: ${e(a.reason)}${a.summary ? ` — ${e(a.summary)}` : ''}`,
    );
  if (message.alerts.length > 10) lines.push(`… and ${message.alerts.length - 10} more alerts`);
  return {
    text: e(
      `${title} (${message.alerts.length} alerts, services: ${message.incident.services.join(', ') || '-'})`,
    ),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') || '(no alerts)' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: e(
              `incident ${message.incident.id}${message.incident.rcaId ? ` · RCA ${message.incident.rcaId}` : ''}`,
            ),
          },
        ],
      },
    ],
  };
}

/**
 * Slack's own escaping for text it parses (mrkdwn blocks and the `text` fallback): `&`, `<` and `>` become entities,
 * so an alert's labels and annotations (whoever controls a scraped label writes them) cannot open `<!channel>`,
 * `<@user>` or `<https://…|label>` links. The header is plain_text, shown as written, and keeps the raw title.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
