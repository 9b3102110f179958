// EphemeralType in Apache ZooKeeper: ephemeralOwner is a session id, or one of the "extended"
// encodings — containers use Long.MIN_VALUE, TTL nodes 0xFF in the top byte with the TTL in the low
// bits. The extended encodings are only recognised when extended types are enabled
// (zookeeper.extendedTypesEnabled, off by default); otherwise a negative owner is a session.

export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;
const EXTENDED_MASK = -0x100000000000000n; // 0xff00000000000000 as a signed long
const TTL_VALUE_MASK = 0x0000ffffffffffffn;
/** EphemeralType.TTL max value: 40 bits of milliseconds... ZooKeeper allows up to 0xFFFFFFFFFF. */
export const MAX_TTL = 0xffffffffffn;

export type EphemeralKind = 'void' | 'normal' | 'container' | 'ttl';

export function ephemeralKind(owner: bigint, extendedTypes: boolean): EphemeralKind {
  if (owner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  if (owner === 0n) return 'void';
  if (extendedTypes && owner < 0n && (owner & EXTENDED_MASK) === EXTENDED_MASK) return 'ttl';
  return 'normal';
}

export function ttlOwner(ttl: bigint): bigint {
  return EXTENDED_MASK | ttl;
}

export function ttlOf(owner: bigint): bigint {
  return owner & TTL_VALUE_MASK;
}
