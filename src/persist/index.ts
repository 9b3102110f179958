// The persistence layer's public surface: ZooKeeper-format transaction logs and snapshots.
export * from './types.js';
export { TxnLogWriter, encodeTxnRecord, PREALLOC_BYTES, type TxnLogOptions } from './txn-log.js';
export { TxnLogReader, truncateAtCut, type LogCut, type CutReason } from './txn-log-reader.js';
export { writeSnapshot, type SnapshotInput, type SnapshotWriteOptions, type SnapshotWritten } from './snapshot.js';
export { readSnapshot, listSnapshots, looksSealed, SnapshotError } from './snapshot-reader.js';
export { recover, RecoveryError, type Recovery, type RecoveryOptions } from './recovery.js';
export { purge, startAutopurge, type PurgeResult } from './purge.js';
export { nodeDigest, TreeDigest } from './digest.js';
export { logName, snapshotName, zxidFromName, VERSION_DIR } from './files.js';
