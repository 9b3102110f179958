import { describe, expect, it } from 'vitest';
import { JuteError, JuteReader, JuteWriter } from '../../../src/proto/jute.js';
import * as R from '../../../src/proto/records/index.js';
import { decode, encode, type Codec } from '../../../src/proto/schema.js';
import { decodeTxn, encodeTxn } from '../../../src/proto/records/txncodec.js';
import { OpCode } from '../../../src/proto/constants.js';

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }, { perms: 1, id: { scheme: 'digest', id: 'u:h=' } }];
const stat = { czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: -1, aversion: 7, ephemeralOwner: -9n, dataLength: 3, numChildren: 2, pzxid: 0x7fffffffffffffffn };
const data = Buffer.from('dätä');

/** Every record with a sample value, and for some its exact encoded length. */
const samples: Array<[string, Codec<any>, unknown]> = [
  ['Id', R.IdRec, { scheme: 'ip', id: '10.0.0.1' }],
  ['ACL', R.ACLRec, acl[1]],
  ['Stat', R.StatRec, stat],
  ['StatPersisted', R.StatPersistedRec, { czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: 6, aversion: 7, ephemeralOwner: 8n, pzxid: 9n }],
  ['ClientInfo', R.ClientInfoRec, { authScheme: 'digest', user: 'bob' }],
  ['ConnectRequest', R.ConnectRequestRec, { protocolVersion: 0, lastZxidSeen: 5n, timeOut: 4000, sessionId: 77n, passwd: Buffer.alloc(16, 1), readOnly: true }],
  ['ConnectRequest without readOnly', R.ConnectRequestRec, { protocolVersion: 0, lastZxidSeen: 5n, timeOut: 4000, sessionId: 77n, passwd: Buffer.alloc(16) }],
  ['ConnectResponse', R.ConnectResponseRec, { protocolVersion: 0, timeOut: 4000, sessionId: -2n, passwd: Buffer.alloc(16, 3), readOnly: false }],
  ['RequestHeader', R.RequestHeaderRec, { xid: -8, type: 101 }],
  ['ReplyHeader', R.ReplyHeaderRec, { xid: -1, zxid: -1n, err: -121 }],
  ['AuthPacket', R.AuthPacketRec, { type: 0, scheme: 'digest', auth: Buffer.from('u:p') }],
  ['GetDataRequest', R.GetDataRequestRec, { path: '/a', watch: true }],
  ['CreateRequest', R.CreateRequestRec, { path: '/a', data, acl, flags: 3 }],
  ['CreateRequest null data', R.CreateRequestRec, { path: '/a', data: null, acl, flags: 0 }],
  ['CreateTTLRequest', R.CreateTTLRequestRec, { path: '/a', data, acl, flags: 5, ttl: 1000n }],
  ['DeleteRequest', R.DeleteRequestRec, { path: '/a', version: -1 }],
  ['SetDataRequest', R.SetDataRequestRec, { path: '/a', data, version: 3 }],
  ['CheckVersionRequest', R.CheckVersionRequestRec, { path: '/a', version: 3 }],
  ['SetACLRequest', R.SetACLRequestRec, { path: '/a', acl, version: 0 }],
  ['GetEphemeralsRequest', R.GetEphemeralsRequestRec, { prefixPath: '/e' }],
  ['CheckWatchesRequest', R.CheckWatchesRequestRec, { path: '/a', type: 3 }],
  ['RemoveWatchesRequest', R.RemoveWatchesRequestRec, { path: '/a', type: 5 }],
  ['AddWatchRequest', R.AddWatchRequestRec, { path: '/a', mode: 1 }],
  ['ReconfigRequest', R.ReconfigRequestRec, { joiningServers: 'a', leavingServers: 'b', newMembers: '', curConfigId: -1n }],
  ['SetWatches', R.SetWatchesRec, { relativeZxid: 9n, dataWatches: ['/a'], existWatches: [], childWatches: ['/b', '/c'] }],
  ['SetWatches2', R.SetWatches2Rec, { relativeZxid: 9n, dataWatches: [], existWatches: ['/x'], childWatches: [], persistentWatches: ['/p'], persistentRecursiveWatches: ['/r'] }],
  ['StatResponse', R.StatResponseRec, { stat }],
  ['CreateResponse', R.CreateResponseRec, { path: '/a0000000001' }],
  ['Create2Response', R.Create2ResponseRec, { path: '/a', stat }],
  ['GetDataResponse', R.GetDataResponseRec, { data, stat }],
  ['GetChildren2Response', R.GetChildren2ResponseRec, { children: ['a', 'b'], stat }],
  ['GetACLResponse', R.GetACLResponseRec, { acl, stat }],
  ['GetAllChildrenNumberResponse', R.GetAllChildrenNumberResponseRec, { totalNumber: 12 }],
  ['GetEphemeralsResponse', R.GetEphemeralsResponseRec, { ephemerals: ['/e1'] }],
  ['WhoAmIResponse', R.WhoAmIResponseRec, { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }] }],
  ['ErrorResponse', R.ErrorResponseRec, { err: 0 }],
  ['WatcherEvent', R.WatcherEventRec, { type: 4, state: 3, path: '/' }],
  ['TxnHeader', R.TxnHeaderRec, { clientId: 1n, cxid: 2, zxid: 3n, time: 4n, type: -10 }],
  ['CreateTxnV0', R.CreateTxnV0Rec, { path: '/a', data, acl, ephemeral: true }],
  ['CreateTxn', R.CreateTxnRec, { path: '/a', data, acl, ephemeral: false, parentCVersion: 4 }],
  ['CreateTTLTxn', R.CreateTTLTxnRec, { path: '/a', data, acl, parentCVersion: 4, ttl: 99n }],
  ['CreateContainerTxn', R.CreateContainerTxnRec, { path: '/a', data, acl, parentCVersion: 4 }],
  ['DeleteTxn', R.DeleteTxnRec, { path: '/a' }],
  ['SetDataTxn', R.SetDataTxnRec, { path: '/a', data: null, version: 2 }],
  ['SetACLTxn', R.SetACLTxnRec, { path: '/a', acl, version: 2 }],
  ['CheckVersionTxn', R.CheckVersionTxnRec, { path: '/a', version: 2 }],
  ['CreateSessionTxn', R.CreateSessionTxnRec, { timeOut: 30000 }],
  ['CloseSessionTxn', R.CloseSessionTxnRec, { paths2Delete: ['/e1', '/e2'] }],
  ['ErrorTxn', R.ErrorTxnRec, { err: -110 }],
  ['MultiTxn', R.MultiTxnRec, { txns: [{ type: 1, data: Buffer.from([1, 2]) }, { type: -1, data: Buffer.from([0, 0, 0, 0]) }] }],
  ['MultiRequest', R.MultiRequestRec, [{ type: 1, req: { path: '/a', data, acl, flags: 0 } }, { type: 13, req: { path: '/a', version: 1 } }]],
  ['MultiResponse', R.MultiResponseRec, [{ type: 1, path: '/a' }, { type: 15, path: '/b', stat }, { type: 2 }, { type: 5, stat }, { type: 13 }, { type: -1, err: -2 }]],
  ['MultiResponse (multiRead)', R.MultiResponseRec, [{ type: 4, data, stat }, { type: 8, children: ['x'] }]],
];

describe('jute records', () => {
  for (const [name, codec, value] of samples) {
    it(`${name} round-trips and rejects every truncation`, () => {
      const bytes = encode(codec, value);
      expect(decode(codec, bytes)).toEqual(value);
      // Cutting the record short must throw, never return garbage (the optional readOnly byte aside).
      const optionalTail = name.startsWith('Connect') && (value as { readOnly?: boolean }).readOnly !== undefined ? 1 : 0;
      for (let cut = 0; cut < bytes.length - optionalTail; cut++) {
        expect(() => codec.read(new JuteReader(bytes.subarray(0, cut)))).toThrow(JuteError);
      }
    });
  }

  it('encodes a Stat in 68 bytes and a notification header exactly', () => {
    expect(encode(R.StatRec, stat).length).toBe(68);
    expect(encode(R.ReplyHeaderRec, { xid: -1, zxid: -1n, err: 0 }).toString('hex')).toBe('ffffffffffffffffffffffff00000000');
  });

  it('keeps the readOnly byte absent when the client left it out', () => {
    const v = { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 1, sessionId: 0n, passwd: Buffer.alloc(16) };
    expect(encode(R.ConnectRequestRec, v).length).toBe(44);
    expect(encode(R.ConnectRequestRec, { ...v, readOnly: false }).length).toBe(45);
  });

  it('reads -1 lengths as null buffers and empty strings/vectors', () => {
    const w = new JuteWriter(4).int(-1).int(-1).int(-1);
    const r = new JuteReader(w.bytes());
    expect(r.buffer()).toBeNull();
    expect(r.ustring()).toBeNull();
    expect(r.vector((x) => x.int())).toBeNull();
  });

  it('rejects absurd vector counts without allocating them', () => {
    const bytes = new JuteWriter().int(0x7fffffff).bytes();
    expect(() => decode(R.GetChildrenResponseRec, bytes)).toThrow(JuteError);
  });

  it('maps txn types to their records for the log', () => {
    const txn = { path: '/a', data, acl, ephemeral: true, parentCVersion: 1 };
    expect(decodeTxn(OpCode.create2, encodeTxn(OpCode.create2, txn))).toEqual(txn);
    expect(decodeTxn(OpCode.closeSession, Buffer.alloc(0))).toBeNull();
  });

  it('a growing writer keeps earlier bytes intact', () => {
    const w = new JuteWriter(1);
    const big = Buffer.alloc(5000, 7);
    w.int(1).bool(true).buffer(big).ustring('é'.repeat(300)).long(-5n);
    const r = new JuteReader(w.bytes());
    expect([r.int(), r.bool(), r.buffer()!.equals(big), r.ustring(), r.long()]).toEqual([1, true, true, 'é'.repeat(300), -5n]);
  });
});
