/**
 * i18next HTML-escapes interpolated values by default (Grafana's instance keeps that default), so a workload
 * `shop/checkout` would render as `shop&#x2F;checkout`. React already escapes text, so values are passed unescaped.
 */
export const UNESCAPED = { interpolation: { escapeValue: false } } as const;
