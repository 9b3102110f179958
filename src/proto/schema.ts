// Records are declared once as an ordered field list; `record()` turns the declaration into a
// typed codec. Field order is the declaration order, exactly as in zookeeper.jute.
import { JuteReader, JuteWriter } from './jute.js';

export interface Codec<T> {
  read(r: JuteReader): T;
  write(w: JuteWriter, v: T): void;
}

type Prim = 'int' | 'long' | 'bool' | 'buffer' | 'ustring';
export type FieldSpec = Prim | Codec<any> | { vector: FieldSpec };

/**
 * The TypeScript value of a field. Strings and vectors read as null (-1 length) become '' and [];
 * only buffers keep null, because a node's data may be null and clients see the difference.
 */
export type ValueOf<F> = F extends 'int'
  ? number
  : F extends 'long'
    ? bigint
    : F extends 'bool'
      ? boolean
      : F extends 'buffer'
        ? Buffer | null
        : F extends 'ustring'
          ? string
          : F extends { vector: infer E }
            ? ValueOf<E>[]
            : F extends Codec<infer T>
              ? T
              : never;

export type Fields = Record<string, FieldSpec>;
export type RecordOf<S extends Fields> = { -readonly [K in keyof S]: ValueOf<S[K]> };
export type Infer<C> = C extends Codec<infer T> ? T : never;

type Reader = (r: JuteReader) => unknown;
type Writer = (w: JuteWriter, v: any) => void;

// Each field compiles once to a small function, so reading or writing a record calls functions
// rather than switching on the spec per field per record (records are coded at every request).
const PRIM_READ: Record<Prim, Reader> = {
  int: (r) => r.int(),
  long: (r) => r.long(),
  bool: (r) => r.bool(),
  buffer: (r) => r.buffer(),
  ustring: (r) => r.ustring() ?? '',
};

const PRIM_WRITE: Record<Prim, Writer> = {
  int: (w, v) => w.int(v),
  long: (w, v) => w.long(v),
  bool: (w, v) => w.bool(v),
  buffer: (w, v) => w.buffer(v),
  ustring: (w, v) => w.ustring(v),
};

function readerOf(f: FieldSpec): Reader {
  if (typeof f === 'string') return PRIM_READ[f];
  if ('vector' in f) {
    const item = readerOf(f.vector);
    return (r) => r.vector(item) ?? [];
  }
  return (r) => f.read(r);
}

function writerOf(f: FieldSpec): Writer {
  if (typeof f === 'string') return PRIM_WRITE[f];
  if ('vector' in f) {
    const item = writerOf(f.vector);
    return (w, v: unknown[]) => w.vector(v, item);
  }
  return (w, v) => f.write(w, v);
}

/**
 * A codec for a record with the given fields, in order. The read and write functions are
 * generated once per record (as protobuf.js does): reading builds one object literal, so every
 * record of a type gets the same hidden class, and writing loads each field by its fixed name.
 * The field names come from the declarations in this package, never from the wire.
 */
export function record<S extends Fields>(spec: S): Codec<RecordOf<S>> & { fields: S } {
  const keys = Object.keys(spec);
  const readers = keys.map((k) => readerOf(spec[k]!));
  const writers = keys.map((k) => writerOf(spec[k]!));
  const names = keys.map((k) => JSON.stringify(k));
  const readBody = `return { ${names.map((k, i) => `${k}: f[${i}](r)`).join(', ')} };`;
  const writeBody = names.map((k, i) => `f[${i}](w, v[${k}]);`).join('\n');
  return {
    fields: spec,
    read: new Function('f', `return function read(r) { ${readBody} };`)(readers) as (r: JuteReader) => RecordOf<S>,
    write: new Function('f', `return function write(w, v) { ${writeBody} };`)(writers) as (w: JuteWriter, v: RecordOf<S>) => void,
  };
}

/** Encodes one record into fresh bytes (txn payloads, multi sub-txns). */
export function encode<T>(c: Codec<T>, v: T): Buffer {
  const w = new JuteWriter(64);
  c.write(w, v);
  return w.bytes();
}

/** Decodes one record from `bytes`; throws JuteError when it does not fit. */
export function decode<T>(c: Codec<T>, bytes: Uint8Array): T {
  return c.read(new JuteReader(bytes));
}
