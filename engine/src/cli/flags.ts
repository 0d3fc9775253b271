import type { Command } from 'commander';
import { EngineError } from '../errors.js';

/**
 * Option parsers that refuse a bad value at the CLI's edge, naming the flag (`--limit`), before anything is read:
 * without them a one-shot engine listed nothing for `--status bogus` and a running one named its API field
 * (`querystring.status`) instead of the flag the user typed. Thrown errors reach Output.error (exit code 2).
 */
function refuse(flag: string, message: string, value: string): EngineError {
  return new EngineError('INVALID_INPUT', `--${flag} ${message}, got "${value}"`, {
    issues: [{ field: flag, message }],
  });
}

/** A whole number of at least 1 (`--limit`, `--top`). */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n > 0) return n;
    throw refuse(flag, 'must be a whole number of at least 1', value);
  };
}

/** A number above 0 (`--test-days 0.5`, `--capacity`): sent to the engine as a JSON number, which its bodies require. */
export function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n) && n > 0) return n;
    throw refuse(flag, 'must be a number above 0', value);
  };
}

/** One of a fixed set of words (`--status`). */
export function oneOf<const T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw refuse(flag, `must be one of ${allowed.join(', ')}`, value);
  };
}

/**
 * Refuses an empty (or blank) value of any option or argument of the command about to run and of the commands
 * above it, naming it as the usage line does (`--show`, `<name>`). Commands test their values for truth, so an
 * empty one was taken as absent: `rca --show ''` ran a new analysis, `--server ''` (an unset variable in a script)
 * ran one-shot, `ingest ''` read the current folder, `alerts --send ''` listed alerts. Run as a preAction hook.
 */
export function refuseEmptyValues(command: Command): void {
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.options) {
      refuseEmpty(option.long ?? option.flags, c.getOptionValue(option.attributeName()));
    }
  }
  command.registeredArguments.forEach((argument, i) => {
    refuseEmpty(`<${argument.name()}${argument.variadic ? '...' : ''}>`, command.processedArgs[i]);
  });
}

function refuseEmpty(term: string, value: unknown): void {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (!values.some((v) => typeof v === 'string' && v.trim() === '')) return;
  const message = 'must not be empty';
  throw new EngineError('INVALID_INPUT', `${term}: ${message}`, {
    issues: [{ field: bareTerm(term), message }],
  });
}

/** A flag or argument as `--json` names it in an issue: `--show` → `show`, `<paths...>` → `paths`. */
export function bareTerm(term: string): string {
  return term.replace(/^--|^<|(\.\.\.)?>$/g, '');
}
