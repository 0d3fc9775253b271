import { describe, expect, it } from 'vitest';
import { Drain } from './Drain.js';
import { applyMasks, compileMasks } from './masking.js';

const options = { similarityThreshold: 0.5, depth: 4, maxChildren: 100 };

describe('Drain', () => {
  it('groups lines that differ only in variables and keeps distinct events apart', () => {
    const drain = new Drain(options);
    const lines = [
      'PacketResponder 1 for block blk_38865049064139660 terminating',
      'Received block blk_-6952295868487656571 of size 67108864 from /10.251.91.84',
      'PacketResponder 0 for block blk_-6952295868487656571 terminating',
      'Received block blk_7128370237687728475 of size 67108864 from /10.251.203.80',
      'Verification succeeded for blk_-3544583377289625738',
    ];
    const ids = lines.map((l) => drain.add(l).id);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).toBe(ids[3]);
    expect(new Set(ids).size).toBe(3);
    expect(Drain.template(drain.cluster(ids[0]!)!)).toBe('PacketResponder <*> for block <*> terminating');
    expect(Drain.template(drain.cluster(ids[1]!)!)).toBe('Received block <*> of size <*> from <*>');
  });

  it('routes a leading token that is partly a variable like a variable (one address or a list of them)', () => {
    const drain = new Drain(options);
    const a = drain.add('10.11.10.1 "GET /v2/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.24');
    const b = drain.add(
      '10.11.10.1,10.11.21.140 "GET /v2/servers/detail HTTP/1.1" status: 200 len: 1910 time: 0.26',
    );
    expect(b.id).toBe(a.id);
  });

  it('turns differing words into wildcards when lines merge, and matches without learning', () => {
    const drain = new Drain(options);
    // The first depth-2 tokens route the line, so variables further right are what merging turns into wildcards.
    drain.add('session opened for alice from web');
    const merged = drain.add('session opened for bob from app');
    expect(Drain.template(merged)).toBe('session opened for <*> from <*>');
    expect(drain.match('session opened for carol from cli')?.id).toBe(merged.id);
    expect(drain.match('disk full on node')).toBeUndefined();
    expect(drain.clusters()).toHaveLength(1);
  });

  it('masks generic variables: numbers, IPs, UUIDs, hex, paths, URLs', () => {
    const masks = compileMasks();
    expect(applyMasks('took 12ms for 3 items at 10.0.0.1:8080', masks)).toBe('took <*> for <*> items at <*>');
    expect(applyMasks('id 123e4567-e89b-12d3-a456-426614174000 addr 0x7fed806eb5d', masks)).toBe(
      'id <*> addr <*>',
    );
    expect(applyMasks('open /var/log/app.log failed, see https://x.io/a?b=1', masks)).toBe(
      'open <*> failed, see <*>',
    );
    expect(applyMasks('version v2 of job_1445_0001', masks)).toBe('version v2 of <*>');
  });
});

describe('Drain with a word similarity threshold', () => {
  it('keeps lines apart that differ only in a plain word, unless enough else agrees', () => {
    const plain = new Drain(options);
    const strict = new Drain({ ...options, wordSimilarityThreshold: 0.7 });
    const lines = ['Ending TrustedInstaller initialization.', 'Ending TrustedInstaller finalization.'];
    expect(new Set(lines.map((l) => plain.add(l).id)).size).toBe(1);
    expect(new Set(lines.map((l) => strict.add(l).id)).size).toBe(2);
    // Numbers are still variables: masked before matching, so the threshold does not apply.
    const a = strict.add('Loaded 12 packages in 30 ms');
    expect(strict.add('Loaded 7 packages in 4 ms').id).toBe(a.id);
  });
});

/*
 * Fixtures below are lines copied from Loghub-2k (https://github.com/logpai/loghub; Zhu et al., ISSRE 2023; Jiang et
 * al., ISSTA 2024). Loghub is free for research and academic work only: these lines are test and benchmark fixtures,
 * never shipped in the product.
 */
const defaults = { similarityThreshold: 0.5, wordSimilarityThreshold: 0.7, depth: 4, maxChildren: 100 };

/** Event key of every line, mined with the given options (final keys: after all lines are in). */
function eventKeys(lines: string[], opts: ConstructorParameters<typeof Drain>[0] = defaults): string[] {
  const drain = new Drain(opts);
  const tokens = lines.map((l) => drain.tokenize(l));
  const clusters = tokens.map((t) => drain.addTokens(t));
  return clusters.map((c, i) => drain.eventKey(c, tokens[i]!));
}

describe('Drain on events written with a varying number of tokens (Loghub Proxifier)', () => {
  it('gives one event whether sizes carry a unit in parentheses and lifetimes read 00:02 or <1 sec', () => {
    const lines = [
      'proxy.cse.cuhk.edu.hk:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02',
      'proxy.cse.cuhk.edu.hk:5070 close, 1165 bytes (1.13 KB) sent, 815 bytes received, lifetime <1 sec',
      'proxy.cse.cuhk.edu.hk:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec',
      'proxy.cse.cuhk.edu.hk:5070 close, 451 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec',
      'proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01',
    ];
    expect(new Set(eventKeys(lines)).size).toBe(1);
    const drain = new Drain(defaults);
    expect(drain.tokenize(lines[1]!).join(' ')).toBe('<*> close, <*> sent, <*> received, lifetime <*>');
    // Collapsing is for matching; the template keeps the punctuation around values, as the ground truth writes it.
    const first = drain.add(lines[0]!);
    expect(Drain.template(first)).toBe('<*> close, <*> (<*>) sent, <*> (<*>) received, lifetime <*>:<*>');
  });
});

describe('Drain splitting a <*> that only ever took a few words', () => {
  it('keeps OpenStack lifecycle events and Proxifier protocols apart, but user names in one event', () => {
    // Two states (the default allows two words; with OpenStack's others, `Resumed` and `Stopped`, the <*> is a variable).
    const vm = ['Started', 'Paused', 'Paused', 'Started'].map(
      (state) => `[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM ${state} (Lifecycle Event)`,
    );
    const vmKeys = eventKeys(vm);
    expect(new Set(vmKeys).size).toBe(2);
    expect(vmKeys[0]).toBe(vmKeys[3]);

    const proxy = [
      ...Array.from(
        { length: 5 },
        () => 'proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
      ),
      '183.62.156.108:22 open through proxy socks.cse.cuhk.edu.hk:5070 SOCKS5',
      '183.62.156.108:22 open through proxy socks.cse.cuhk.edu.hk:5070 SOCKS5',
    ];
    const proxyKeys = eventKeys(proxy);
    expect(new Set(proxyKeys).size).toBe(2);
    expect(proxyKeys[5]).not.toBe(proxyKeys[0]);

    const users = ['root', 'uucp', 'sshd', 'git', 'ftp', 'mysql'].map(
      (u) => `Failed password for ${u} from 103.99.0.122 port 65454 ssh2`,
    );
    expect(new Set(eventKeys(users)).size).toBe(1);
    // Off, one event as plain Drain has it.
    expect(new Set(eventKeys(vm, { ...defaults, splitWordValues: 0 })).size).toBe(1);
  });

  it('names the split word in the event template', () => {
    const drain = new Drain(defaults);
    const lines = ['Started', 'Paused', 'Started'].map(
      (s) => `[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM ${s} (Lifecycle Event)`,
    );
    const tokens = lines.map((l) => drain.tokenize(l));
    const clusters = tokens.map((t) => drain.addTokens(t));
    expect(drain.eventTemplate(clusters[1]!, tokens[1]!)).toBe('[instance: <*> VM Paused (Lifecycle Event)');
    expect(Drain.template(clusters[1]!)).toBe('[instance: <*> VM <*> (Lifecycle Event)');
  });
});

describe('masking dates written with names (Loghub Linux)', () => {
  it('masks weekday, month, day, time and year as one value', () => {
    const masks = compileMasks();
    expect(applyMasks('connection from 202.82.200.188 () at Fri Jul  1 07:57:30 2005', masks)).toBe(
      'connection from <*> () at <*>',
    );
    expect(applyMasks('session closed at Sun Jul 10 03:55:21 2005 for bob', masks)).toBe(
      'session closed at <*> for bob',
    );
  });
});
