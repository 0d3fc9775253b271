/**
 * Values another page put in the URL (e.g. the overview's "Root cause" link), read once when a page mounts. Read
 * from the browser location rather than the router so pages work under any router Grafana provides.
 */
export function initialParam(name: string, fallback: string): string {
  return new URLSearchParams(window.location.search).get(name) ?? fallback;
}
