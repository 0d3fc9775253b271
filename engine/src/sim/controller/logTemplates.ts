import type { Random } from './random.js';

/**
 * Templated application log lines (logfmt, as many Go and Node services write). Healthy containers log requests;
 * faults add the WARN/ERROR lines an engineer would grep for: refused connections, OOM, panics, slow calls.
 */
export type LogCondition =
  | 'healthy'
  | 'crash'
  | 'oom'
  | 'latency'
  | 'cpu-hog'
  | 'not-ready'
  | 'callee-down'
  | 'callee-slow'
  | 'startup';

export interface LogContext {
  service: string;
  pod: string;
  /** Services this one calls, used for the names in connection errors. */
  callees: string[];
  /** The callee that is failing (`callee-down`) or slow (`callee-slow`). */
  failingCallee?: string;
  port: number;
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT'];

const pick = <T>(random: Random, items: T[]): T => items[Math.floor(random() * items.length)]!;
const traceId = (random: Random) =>
  Array.from({ length: 16 }, () => Math.floor(random() * 16).toString(16)).join('');

function requestLine(ctx: LogContext, random: Random, slow = false): string {
  const method = pick(random, METHODS);
  const path = `/api/${ctx.service}/${pick(random, ['items', 'list', 'get', 'health', 'v1/query', 'status'])}`;
  const duration = slow ? 1500 + Math.round(random() * 3500) : Math.round(2 + random() * 40);
  const status = method === 'POST' ? 201 : 200;
  return `level=info service=${ctx.service} msg="request completed" method=${method} path=${path} status=${status} duration_ms=${duration} trace_id=${traceId(random)}`;
}

/** Lines a container writes in one tick under a condition. */
export function logLines(condition: LogCondition, ctx: LogContext, random: Random): string[] {
  const callee = ctx.failingCallee ?? (ctx.callees.length ? pick(random, ctx.callees) : 'database');
  switch (condition) {
    case 'startup':
      return [
        `level=info service=${ctx.service} msg="starting ${ctx.service}" version=1.4.2 pid=1`,
        `level=info service=${ctx.service} msg="listening" addr=:${ctx.port}`,
      ];
    case 'healthy': {
      const count = 1 + Math.floor(random() * 3);
      return Array.from({ length: count }, () => requestLine(ctx, random));
    }
    case 'latency':
      return [
        requestLine(ctx, random, true),
        `level=warn service=${ctx.service} msg="slow request" threshold_ms=1000 duration_ms=${1500 + Math.round(random() * 3000)} trace_id=${traceId(random)}`,
      ];
    case 'cpu-hog':
      return [
        requestLine(ctx, random),
        `level=warn service=${ctx.service} msg="event loop lag high" lag_ms=${300 + Math.round(random() * 900)} cpu_throttled=true`,
      ];
    case 'not-ready':
      return [
        `level=warn service=${ctx.service} msg="readiness check failed" check=/ready status=503 reason="dependency ${callee} unhealthy"`,
      ];
    case 'callee-down':
      return [
        requestLine(ctx, random),
        `level=error service=${ctx.service} msg="upstream call failed" upstream=${callee} error="dial tcp ${callee}:8080: connect: connection refused" trace_id=${traceId(random)}`,
      ];
    case 'callee-slow':
      return [
        requestLine(ctx, random, true),
        `level=warn service=${ctx.service} msg="upstream call slow" upstream=${callee} duration_ms=${1200 + Math.round(random() * 2800)} error="context deadline exceeded" trace_id=${traceId(random)}`,
      ];
    case 'oom':
      return [
        `level=warn service=${ctx.service} msg="memory usage high" heap_used_pct=${90 + Math.floor(random() * 9)}`,
        `level=error service=${ctx.service} msg="allocation failed" error="fatal error: runtime: out of memory"`,
      ];
    case 'crash':
      return [
        `level=error service=${ctx.service} msg="failed to initialise client" upstream=${callee} error="dial tcp ${callee}:8080: connect: connection refused"`,
        `panic: runtime error: invalid memory address or nil pointer dereference`,
        `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1c]`,
        ``,
        `goroutine 1 [running]:`,
        `main.(*Server).connect(0xc000126000)`,
        `\t/src/cmd/${ctx.service}/server.go:88 +0x1c`,
        `main.main()`,
        `\t/src/cmd/${ctx.service}/main.go:41 +0x2a5`,
      ];
  }
}
