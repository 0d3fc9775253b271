import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { FetchLike } from './EngineApi';

/**
 * A fetch over Grafana's backend service, so engine calls carry Grafana's session, org and request tracking and
 * go through the plugin proxy (which adds the engine token server-side). Non-2xx answers become Responses rather
 * than exceptions, so the engine's error body reaches the caller unchanged.
 */
export const grafanaFetch: FetchLike = async (input, init = {}) => {
  const headers = toRecord(init.headers);
  const data = typeof init.body === 'string' && isJson(headers) ? JSON.parse(init.body) : (init.body ?? undefined);
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: input,
        method: init.method ?? 'GET',
        headers,
        data,
        responseType: 'text',
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return toResponse(response.status, response.data);
  } catch (error) {
    if (isFetchError(error)) {
      return toResponse(error.status || 502, error.data);
    }
    throw error;
  }
};

function toResponse(status: number, data: unknown): Response {
  const bodyless = status === 204 || status === 304;
  const body =
    bodyless || data === undefined || data === null ? null : typeof data === 'string' ? data : JSON.stringify(data);
  return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}

function toRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) {
    return {};
  }
  if (headers instanceof Headers) {
    return Object.fromEntries(headers.entries());
  }
  return Array.isArray(headers) ? Object.fromEntries(headers) : { ...headers };
}

function isJson(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'content-type' && v.includes('json'));
}
