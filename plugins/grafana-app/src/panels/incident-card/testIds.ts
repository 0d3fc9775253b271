/** The incident card's test ids, shared by its unit, real-engine and browser tests. */
export const incidentCardTestIds = {
  card: 'data-testid incident-card',
  title: 'data-testid incident-card-title',
  alertCount: 'data-testid incident-card-alert-count',
  cause: 'data-testid incident-card-cause',
  causeService: 'data-testid incident-card-cause-service',
  scoreBar: 'data-testid incident-card-score-bar',
  rcaPending: 'data-testid incident-card-rca-pending',
  noRca: 'data-testid incident-card-no-rca',
  rcaSkipped: 'data-testid incident-card-rca-skipped',
  rootCauseLink: 'data-testid incident-card-root-cause-link',
  alertsLink: 'data-testid incident-card-alerts-link',
  empty: 'data-testid incident-card-empty',
  error: 'data-testid incident-card-error',
};
