import cliProgress from 'cli-progress';
import { EngineApiError } from '@ai-cloudops/engine-client';
import { EngineError, describeIssues, isEngineError, type ErrorCode } from '../errors.js';
import { printable, printableBlock } from '../util/printable.js';
import { bareTerm } from './flags.js';

/** What the user typed was wrong (the API's 400s): exit code 2, as a usage error; anything else is 1. */
const USAGE_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'INVALID_CONFIG',
  'INVALID_INPUT',
  'BAD_REQUEST',
  'PROMQL_ERROR',
]);

/**
 * The request fields a command fills from its command line, each to what the user typed there: a flag (`--horizon`)
 * or a positional argument (`<question>`, as the usage line shows it). One table per command, passed to Output.error.
 */
export type RequestTerms = Readonly<Record<string, `--${string}` | `<${string}>`>>;

/**
 * Human output by default, JSON with --json. Progress bars go to stderr so `--json` output on stdout stays clean
 * and pipes well.
 */
export class Output {
  constructor(readonly json: boolean) {}

  /** Prints a result: the JSON document with --json, else the human rendering. */
  result(data: unknown, human: () => string): void {
    // Every command's human rendering passes through printableBlock: remote strings cannot drive the terminal.
    process.stdout.write(this.json ? JSON.stringify(data, null, 2) + '\n' : printableBlock(human()) + '\n');
  }

  info(message: string): void {
    if (!this.json) process.stderr.write(printableBlock(message) + '\n');
  }

  progress(label: string): { update(fraction: number, message?: string): void; stop(): void } {
    if (this.json || !process.stderr.isTTY) {
      let last = '';
      return {
        update: (_fraction, message) => {
          if (!this.json && message && message !== last)
            process.stderr.write(`${label}: ${printable(message)}\n`);
          last = message ?? last;
        },
        stop: () => undefined,
      };
    }
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {message}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0, { message: '' });
    return {
      update: (fraction, message) =>
        bar.update(Math.round(fraction * 100), { message: printable(message ?? '') }),
      stop: () => bar.stop(),
    };
  }

  /** Runs work that reports progress with a bar (or lines, off a terminal) that is stopped however the work ends. */
  async withProgress<R>(
    label: string,
    work: (progress: (fraction: number, message?: string) => void) => Promise<R>,
  ): Promise<R> {
    const bar = this.progress(label);
    try {
      return await work((fraction, message) => bar.update(fraction, message));
    } finally {
      bar.stop();
    }
  }

  /**
   * Prints an error naming the failing fields; returns the exit code to use. `terms` maps the request fields a
   * command fills from its command line (`body.horizonMinutes`) to what the user typed (`--horizon`): the engine
   * validates the values (its schema holds the bounds) and names its own fields, and the user reads their flag or
   * argument. With --json an issue's field is the bare name (`horizon`, `question`), as the CLI's own checks name it.
   */
  error(thrown: unknown, terms: RequestTerms = {}): number {
    const error = inCliTerms(fromEngineApi(thrown), terms, this.json);
    if (isEngineError(error)) {
      if (this.json) {
        process.stdout.write(
          JSON.stringify({ error: { code: error.code, message: error.message, issues: error.issues } }) +
            '\n',
        );
      } else {
        process.stderr.write(printableBlock(`error ${error.code}: ${error.message}\n${unsaidIssues(error)}`));
      }
      return USAGE_ERRORS.has(error.code) ? 2 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) process.stdout.write(JSON.stringify({ error: { code: 'INTERNAL', message } }) + '\n');
    else process.stderr.write(`error: ${printableBlock(message)}\n`);
    return 1;
  }
}

/**
 * The issues the message does not already carry, one line each: `unknown signal "nosuch"` came with
 * `body.signal: must be one of request_rate, ...` that only --json showed. Messages built from the issues
 * (`invalid request: body.mode: ...`) already name them and add nothing here.
 */
function unsaidIssues(error: EngineError): string {
  return (error.issues ?? [])
    .filter((i) => !error.message.includes(i.message))
    .map((i) => `  ${i.field}: ${i.message}\n`)
    .join('');
}

/**
 * A running engine's refusal (`--server`) as the EngineError a one-shot engine would have thrown, so both print the
 * same code, fields and exit code (without this a 400 naming `body.window.start` came out as `INTERNAL`, exit 1).
 */
function fromEngineApi(error: unknown): unknown {
  if (!(error instanceof EngineApiError)) return error;
  return new EngineError(error.code as ErrorCode, error.message, {
    issues: error.issues,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
}

/**
 * A running engine's refusal of a file the CLI sent as the request body (`alerts --send FILE`), in the file's terms:
 * `invalid webhook file F: version: ...`, each field the file's own key path, as a config file's refusal names them
 * (`invalid config file F: server.port: ...`). It said `invalid request: body.version: ...`, a body nobody wrote.
 */
export function inFileTerms(thrown: unknown, what: string, path: string): unknown {
  const error = fromEngineApi(thrown);
  const inBody = (field: string) => field === 'body' || field.startsWith('body.');
  if (!isEngineError(error) || error.code !== 'INVALID_INPUT' || !error.issues.some((i) => inBody(i.field)))
    return error;
  const issues = error.issues.map((i) =>
    inBody(i.field) ? { ...i, field: i.field === 'body' ? '(root)' : i.field.slice('body.'.length) } : i,
  );
  return new EngineError(error.code, `invalid ${what} ${path}: ${describeIssues(issues)}`, { issues });
}

function inCliTerms(error: unknown, terms: RequestTerms, json: boolean): unknown {
  if (!isEngineError(error) || !error.issues?.some((i) => Object.hasOwn(terms, i.field))) return error;
  let message = error.message;
  // Longest first, so `body.workload.kind` is not half-replaced by a shorter `body.workload`. Only dotted request
  // fields: a bare one (the cluster registry's `cluster`) is also a word of the message's prose.
  for (const field of Object.keys(terms).sort((a, b) => b.length - a.length)) {
    if (field.includes('.')) message = message.split(field).join(terms[field]);
  }
  // `<paths...>` is `paths`, as the CLI's own checks name it.
  const fieldOf = (term: string) => (json ? bareTerm(term) : term);
  return new EngineError(error.code, message, {
    issues: error.issues.map((i) =>
      Object.hasOwn(terms, i.field) ? { ...i, field: fieldOf(terms[i.field]!) } : i,
    ),
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
}
