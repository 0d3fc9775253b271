import { Redis } from 'ioredis';
import { sleep } from './ManagedProcess.js';

export interface RedisMonitor {
  /** The commands (name and arguments, as Redis logs them) Redis ran while `action` ran, from every client. */
  during(action: () => Promise<void>): Promise<string[][]>;
  close(): void;
}

/**
 * Redis' own log of what it runs (MONITOR), to count the reads a request makes at the real server rather than by
 * wrapping our code. A window is fenced by two marker reads the monitor must see, since its feed arrives on its own
 * connection, later than the replies.
 */
export async function monitorRedis(url: string): Promise<RedisMonitor> {
  const commands: string[][] = [];
  // monitor() opens a connection of its own beside the client it is called on: both are closed at the end.
  const base = new Redis(url);
  const monitor = await base.monitor();
  monitor.on('monitor', (_time: string, args: string[]) => commands.push(args));
  const probe = new Redis(url);
  const fence = async (name: string) => {
    await probe.get(name);
    for (let i = 0; i < 500 && !commands.some((c) => c[1] === name); i++) await sleep(10);
  };
  return {
    async during(action) {
      const start = `monitor-fence-${Math.random()}`;
      const end = `monitor-fence-${Math.random()}`;
      await fence(start);
      await action();
      await fence(end);
      const from = commands.findIndex((c) => c[1] === start);
      const to = commands.findIndex((c) => c[1] === end);
      return commands.slice(from + 1, to);
    },
    close() {
      monitor.disconnect();
      base.disconnect();
      probe.disconnect();
    },
  };
}

/** GETs (and MGET keys) of keys starting with `prefix` among `commands`. */
export function readsOf(commands: string[][], prefix: string): number {
  return (
    commands.filter((c) => c[0]?.toLowerCase() === 'get' && c[1]?.startsWith(prefix)).length +
    commands
      .filter((c) => c[0]?.toLowerCase() === 'mget')
      .reduce((n, c) => n + c.slice(1).filter((k) => k.startsWith(prefix)).length, 0)
  );
}
