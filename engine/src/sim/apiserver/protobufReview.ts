/**
 * Reads the only protobuf bodies the simulated server accepts: SelfSubject{Access,Rules}Reviews, which kubectl 1.32+ posts
 * as protobuf from `auth can-i` and does not retry as JSON after a 415 (client-go only falls back for CBOR;
 * measured with kubectl 1.32 and 1.33). Only the fields of its spec are read (field numbers from
 * k8s.io/api/authorization/v1/generated.proto); everything else kubectl sends as protobuf still gets a 415.
 * Hand-written because no kept npm package ships the Kubernetes protobuf schemas.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0", the envelope prefix of every Kubernetes protobuf body

type Fields = Map<number, Buffer[]>;

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
    shift += 7;
  }
}

/** Length-delimited fields by number; varint fields are kept as their decimal text. */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    const [num, wire] = [Math.floor(key / 8), key % 8];
    let value: Buffer;
    if (wire === 0) {
      const [v, after] = readVarint(buf, next);
      value = Buffer.from(String(v));
      pos = after;
    } else if (wire === 2) {
      const [len, start] = readVarint(buf, next);
      value = buf.subarray(start, start + len);
      pos = start + len;
    } else if (wire === 1 || wire === 5) {
      pos = next + (wire === 1 ? 8 : 4);
      continue;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
    out.set(num, [...(out.get(num) ?? []), value]);
  }
  return out;
}

const text = (f: Fields, n: number) => f.get(n)?.[0]?.toString('utf8');

function named(f: Fields, names: Record<number, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, name] of Object.entries(names)) {
    const value = text(f, Number(n));
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

/** The JSON form of a protobuf self-subject review body (its spec); throws naming what is wrong. */
export function decodeAccessReview(body: Buffer, rulesReview = false): { spec: Record<string, unknown> } {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('missing the k8s protobuf envelope');
  const raw = fields(body.subarray(4)).get(2)?.[0];
  if (!raw) throw new Error('empty protobuf envelope');
  const spec = fields(fields(raw).get(2)?.[0] ?? Buffer.alloc(0));
  if (rulesReview) return { spec: named(spec, { 1: 'namespace' }) };
  const out: Record<string, unknown> = {};
  const resource = spec.get(1)?.[0];
  if (resource) {
    out['resourceAttributes'] = named(fields(resource), {
      1: 'namespace',
      2: 'verb',
      3: 'group',
      4: 'version',
      5: 'resource',
      6: 'subresource',
      7: 'name',
    });
  }
  const nonResource = spec.get(2)?.[0];
  if (nonResource) out['nonResourceAttributes'] = named(fields(nonResource), { 1: 'path', 2: 'verb' });
  return { spec: out };
}
