import { EngineError, type ErrorCode, type FieldIssue } from '../../errors.js';

interface FinishedJob {
  kind: string;
  status: string;
  result?: unknown;
  error?: { code: string; message: string; issues?: FieldIssue[] };
}

/**
 * A finished job's result, or its error as the job threw it, issues included: both backends follow jobs, and
 * `rca -s nosuch --server URL` printed no known services where the one-shot engine listed them.
 */
export function jobOutcome<R>(done: FinishedJob): R {
  if (done.status === 'succeeded') return done.result as R;
  throw new EngineError(
    (done.error?.code ?? 'INTERNAL') as ErrorCode,
    done.error?.message ?? `job ${done.kind} ${done.status}`,
    { issues: done.error?.issues ?? [] },
  );
}

/**
 * A job's progress as the CLI prints it: of a job under way only. A failed job's last message is its error, which
 * was printed twice (as a progress line, then as the error) where the error alone says it.
 */
export function jobProgress(
  progress: (fraction: number, message?: string) => void,
): (record: { status: string; progress: number; message: string }) => void {
  return (r) => {
    if (r.status === 'queued' || r.status === 'running') progress(r.progress, r.message);
  };
}
