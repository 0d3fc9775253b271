/* global process */
// Runs a real engine for the plugin's integration tests (see startEngineProcess.ts). A file rather than `node -e`:
// `--input-type=module` would be inherited by the engine's worker threads (RCA), which then fail to start.
import { startServer } from '@ai-cloudops/engine';

const server = await startServer({ config: JSON.parse(process.env.ENGINE_CONFIG) });
process.stdout.write('ENGINE_URL ' + server.url + '\n');
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
