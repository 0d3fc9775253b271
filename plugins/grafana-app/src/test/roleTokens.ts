/**
 * One engine token per Grafana role, as an admin puts them in the app's secureJsonData (viewerToken, operatorToken,
 * adminToken), and the engine's auth config that accepts them with the matching engine roles: the tests that resolve
 * calls through plugin.json's routes start their engine with `ROLE_TOKENS_AUTH` and give the proxy `ROLE_TOKENS`.
 */
export const ROLE_TOKENS = {
  viewerToken: 'grafana-viewer-token-0123456789',
  operatorToken: 'grafana-operator-token-0123456789',
  adminToken: 'grafana-admin-token-0123456789ab',
};

export const ROLE_TOKENS_AUTH = {
  enabled: true,
  tokens: [
    { name: 'grafana-viewer', token: ROLE_TOKENS.viewerToken, role: 'viewer' },
    { name: 'grafana-operator', token: ROLE_TOKENS.operatorToken, role: 'operator' },
    { name: 'grafana-admin', token: ROLE_TOKENS.adminToken, role: 'admin' },
  ],
};
