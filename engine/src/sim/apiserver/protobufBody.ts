/**
 * Reads the protobuf bodies kubectl 1.32+ sends from its typed commands, which client-go does not retry as JSON
 * after a 415 (measured with kubectl 1.32 and 1.33): the self-subject reviews of `auth can-i`, and the objects of
 * `create namespace|configmap|secret|serviceaccount` (metadata name/generateName/namespace/labels/annotations and
 * each kind's own fields, numbers from k8s.io/api/{core,authorization}/v1/generated.proto). Any other kind gets
 * 415 naming the media types that work. Hand-written because no kept npm package ships the Kubernetes protobuf
 * schemas.
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

type Kind = 'Namespace' | 'ConfigMap' | 'Secret' | 'ServiceAccount';

function stringMap(f: Fields, n: number, base64 = false): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const e = fields(entry);
    const value = e.get(2)?.[0] ?? Buffer.alloc(0);
    out[text(e, 1) ?? ''] = base64 ? value.toString('base64') : value.toString('utf8');
  }
  return out;
}

function objectMeta(buf: Buffer | undefined): Record<string, unknown> {
  const f = fields(buf ?? Buffer.alloc(0));
  const labels = stringMap(f, 11);
  const annotations = stringMap(f, 12);
  return {
    ...named(f, { 1: 'name', 2: 'generateName', 3: 'namespace' }),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

const bool = (f: Fields, n: number) => (f.has(n) ? text(f, n) === '1' : undefined);
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const KINDS: Record<Kind, (f: Fields) => Record<string, unknown>> = {
  Namespace: () => ({}),
  ConfigMap: (f) =>
    defined({ data: stringMap(f, 2), binaryData: stringMap(f, 3, true), immutable: bool(f, 4) }),
  Secret: (f) =>
    defined({
      data: stringMap(f, 2, true),
      type: text(f, 3) || undefined,
      stringData: stringMap(f, 4),
      immutable: bool(f, 5),
    }),
  ServiceAccount: (f) => defined({ automountServiceAccountToken: bool(f, 4) }),
};

/** The JSON form of a protobuf object body, or undefined when its kind is not one read here. */
export function decodeObject(body: Buffer): Record<string, unknown> | undefined {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('missing the k8s protobuf envelope');
  const envelope = fields(body.subarray(4));
  const typeMeta = fields(envelope.get(1)?.[0] ?? Buffer.alloc(0));
  const [apiVersion, kind] = [text(typeMeta, 1), text(typeMeta, 2)];
  if (apiVersion !== 'v1' || !kind || !(kind in KINDS)) return undefined;
  const f = fields(envelope.get(2)?.[0] ?? Buffer.alloc(0));
  return { apiVersion, kind, metadata: objectMeta(f.get(1)?.[0]), ...KINDS[kind as Kind](f) };
}
