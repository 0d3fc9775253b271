import type { NotificationMessage } from './Notifier.js';

/** Slack incoming-webhook JSON (`text` for notifications, `blocks` for the message); Mattermost accepts the same. */
export function slackMessage(message: NotificationMessage): { text: string; blocks: unknown[] } {
  const verb =
    message.kind === 'opened' ? 'Incident' : message.kind === 'updated' ? 'Incident grew' : 'Resolved';
  const title = `${verb} [${message.incident.severity}] ${message.incident.title}`;
  const lines = message.alerts
    .slice(0, 10)
    .map(
      (a) =>
        `• *${a.alertname}*${a.service ? ` on ${a.service}` : ''}: ${a.reason}${a.summary ? ` — ${a.summary}` : ''}`,
    );
  if (message.alerts.length > 10) lines.push(`… and ${message.alerts.length - 10} more alerts`);
  return {
    text: `${title} (${message.alerts.length} alerts, services: ${message.incident.services.join(', ') || '-'})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') || '(no alerts)' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `incident ${message.incident.id}${message.incident.rcaId ? ` · RCA ${message.incident.rcaId}` : ''}`,
          },
        ],
      },
    ],
  };
}
