/** What a notification carries to an outside target. */
export interface NotificationMessage {
  kind: 'opened' | 'updated' | 'resolved';
  incident: { id: string; title: string; severity: string; services: string[]; url?: string; rcaId?: string };
  fingerprints: string[];
  alerts: Array<{
    fingerprint: string;
    alertname: string;
    service?: string;
    summary?: string;
    reason: string;
  }>;
  at: string;
}

/** One notification target (webhook, Slack, ...); registered in notify/createNotifiers.ts. */
export interface Notifier {
  readonly name: string;
  send(message: NotificationMessage): Promise<void>;
}
