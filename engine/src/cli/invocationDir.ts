/**
 * Where the user typed the command. `npm start`, `npm run` and `npm exec -w` start the CLI in the package folder
 * (engine/) and keep the directory the user was in as INIT_CWD; a plain `node bin/aicloudops.js` or `npx` from the
 * shell runs where typed. INIT_CWD is trusted only inside an npm command, so a stale value inherited from an outer
 * npm script is ignored. Every path the user gives (ingest folders, `--config`, a relative `dataDir`) resolves here.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_command && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}
