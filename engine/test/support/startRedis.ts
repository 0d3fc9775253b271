import { connect } from 'node:net';
import { ManagedProcess, makeTempDir, startOnFreePort } from './ManagedProcess.js';
import { requireBinary } from './requireBinary.js';

export interface RedisServer {
  url: string;
  port: number;
  /** The server's working directory (AOF lives in appendonlydir/). */
  dir: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and data directory; data written before survives. */
  restart(): Promise<void>;
  /** An outage: stops the server but keeps its data directory until `up()` starts it again on the same port. */
  down(): Promise<void>;
  /** An outage by SIGKILL (what a crashed or OOM-killed Redis does); `up()` starts it again. */
  crash(): Promise<void>;
  up(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** A real redis-server on a free loopback port, its own temp dir, AOF fsynced on every write so restarts keep data. */
export async function startRedis(): Promise<RedisServer> {
  const binary = requireBinary(REDIS_SERVER, 'redis-server');
  const dir = await makeTempDir('redis');
  let server: ManagedProcess | undefined;

  const launch = async (port: number): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir.path,
      '--daemonize',
      'no',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--protected-mode',
      'no',
      '--loglevel',
      'warning',
    ];
    const started = ManagedProcess.start(`redis-server :${port}`, binary, args, dir.path);
    await started.waitUntil(() => pingRedis(port));
    server = started;
  };

  let port = 0;
  try {
    await startOnFreePort(async (candidate) => {
      await launch(candidate);
      port = candidate;
    });
  } catch (error) {
    await dir.remove();
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir: dir.path,
    async stop() {
      await server?.stop();
      await dir.remove();
    },
    async restart() {
      await server?.stop();
      await launch(port);
    },
    async down() {
      await server?.stop();
    },
    async crash() {
      await server?.kill();
    },
    async up() {
      await launch(port);
    },
  };
}

/** PING over a raw socket, so the helper does not depend on the client library under test. */
function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // Redis answers -LOADING while it replays the AOF; only +PONG means ready.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
