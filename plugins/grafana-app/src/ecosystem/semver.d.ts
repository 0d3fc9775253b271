// semver ships no types and @types/semver is not installed; the two functions the validator rules use.
declare module 'semver' {
  export function valid(version: string): string | null;
  export function validRange(range: string): string | null;
  const semver: { valid: typeof valid; validRange: typeof validRange };
  export default semver;
}
