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
    const b = drain.add('10.11.10.1,10.11.21.140 "GET /v2/servers/detail HTTP/1.1" status: 200 len: 1910 time: 0.26');
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
    expect(applyMasks('id 123e4567-e89b-12d3-a456-426614174000 addr 0x7fed806eb5d', masks)).toBe('id <*> addr <*>');
    expect(applyMasks('open /var/log/app.log failed, see https://x.io/a?b=1', masks)).toBe('open <*> failed, see <*>');
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
