/** fetch with a deadline, so a hung engine costs a request its timeout rather than a socket forever. */
export function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}
