import { getDataSourceSrv } from '@grafana/runtime';

/** The default Prometheus datasource if there is one, so Explore links open where the engine's metrics live. */
export function prometheusUid(): string | undefined {
  try {
    const list = getDataSourceSrv().getList({ type: 'prometheus' });
    return (list.find((ds) => ds.isDefault) ?? list[0])?.uid;
  } catch {
    // Outside Grafana (unit tests, the browser harness) there is no datasource service.
    return undefined;
  }
}
