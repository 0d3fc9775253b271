import React from 'react';
import { render, screen } from '@testing-library/react';
import { EngineApiError } from '../../api/EngineApi';
import { EngineErrorAlert } from './EngineErrorAlert';

const show = (error: unknown) => {
  render(<EngineErrorAlert error={error} title="It failed" testId="alert" />);
  return screen.getByTestId('alert');
};

describe('EngineErrorAlert', () => {
  test('says the engine is unreachable when Grafana answers 502 without an engine error body', () => {
    // What the client builds from the proxy's empty 502 when the engine is stopped.
    const alert = show(new EngineApiError(502, 'HTTP_502', 'request failed'));
    expect(alert).toHaveTextContent('Grafana could not reach the engine (HTTP 502)');
    expect(alert).not.toHaveTextContent('request failed');
  });

  test('keeps the engine’s own 503 (e.g. the store is down) as it says it', () => {
    const alert = show(new EngineApiError(503, 'UNAVAILABLE', 'store unavailable: redis refused the connection'));
    expect(alert).toHaveTextContent('UNAVAILABLE: store unavailable: redis refused the connection');
    expect(alert).not.toHaveTextContent('could not reach the engine');
  });

  test('names each bad field once, below the summary', () => {
    const alert = show(
      new EngineApiError(400, 'INVALID_INPUT', 'invalid request: body.namespace: must be a Kubernetes namespace', [
        { field: 'body.namespace', message: 'must be a Kubernetes namespace' },
      ])
    );
    expect(alert).toHaveTextContent('INVALID_INPUT: invalid request');
    expect(alert.textContent!.match(/body\.namespace/g)).toHaveLength(1);
    expect(screen.getByText('body.namespace').tagName).toBe('CODE');
  });

  test('blames the engine version only for a path without a route, not for a resource it does not hold', () => {
    const missing = show(
      new EngineApiError(404, 'NOT_FOUND', 'no series for service "nosuch"', [
        { field: 'body.service', message: 'the query returned 11 series, none matching' },
      ])
    );
    expect(missing).toHaveTextContent('NOT_FOUND: no series for service "nosuch"');
    expect(missing).not.toHaveTextContent('does not serve this endpoint');
  });

  test('an engine without the route gets the version hint', () => {
    const alert = show(new EngineApiError(404, 'NOT_FOUND', 'no route POST /api/v1/forecast'));
    expect(alert).toHaveTextContent('does not serve this endpoint yet');
  });
});
