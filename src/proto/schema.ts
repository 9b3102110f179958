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

function readField(r: JuteReader, f: FieldSpec): unknown {
  switch (f) {
    case 'int': return r.int();
    case 'long': return r.long();
    case 'bool': return r.bool();
    case 'buffer': return r.buffer();
    case 'ustring': return r.ustring() ?? '';
  }
  if ('vector' in f) return r.vector((rr) => readField(rr, f.vector)) ?? [];
  return f.read(r);
}

function writeField(w: JuteWriter, f: FieldSpec, v: any): void {
  switch (f) {
    case 'int': w.int(v); return;
    case 'long': w.long(v); return;
    case 'bool': w.bool(v); return;
    case 'buffer': w.buffer(v); return;
    case 'ustring': w.ustring(v); return;
  }
  if ('vector' in f) w.vector(v as unknown[], (ww, x) => writeField(ww, f.vector, x));
  else f.write(w, v);
}

/** A codec for a record with the given fields, in order. */
export function record<S extends Fields>(spec: S): Codec<RecordOf<S>> & { fields: S } {
  const entries = Object.entries(spec);
  return {
    fields: spec,
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = readField(r, f);
      return out as RecordOf<S>;
    },
    write(w, v) {
      for (const [k, f] of entries) writeField(w, f, (v as Record<string, unknown>)[k]);
    },
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
