// The key session passwords are derived from (SessionTracker's `secret`). ZooKeeper derives them
// from the session id and a constant, so clients keep their sessions across a restart; here the key
// is random per data directory and kept beside version-2, so the same holds without a guessable
// constant. Written once, atomically, readable by the owner only.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const SECRET_FILE = 'watchkeeper-session.key';
const SECRET_BYTES = 32;

export function loadSessionSecret(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_FILE);
  if (existsSync(path)) {
    const key = readFileSync(path);
    if (key.length === SECRET_BYTES) return key;
    throw new Error(`${path}: expected ${SECRET_BYTES} bytes, found ${key.length}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(SECRET_BYTES);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return key;
}
