// Path checks shared by handlers (PrepRequestProcessor.validatePath / getParentPathAndValidate).
import { Err } from '../../proto/constants.js';
import { validatePath } from '../../watch/path.js';
import { OpError } from '../request.js';

/** PathUtils.validatePath, as BadArguments. */
export function checkPath(path: string): void {
  try {
    validatePath(path);
  } catch {
    throw new OpError(Err.badArguments, path);
  }
}

const SPECIAL = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

/** The parent of a path to delete; the built-in nodes and malformed paths are BadArguments. */
export function parentForDelete(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash === -1 || path.includes('\0') || SPECIAL.has(path)) throw new OpError(Err.badArguments, path);
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** checkAndIncVersion: -1 matches any version; the next version skips -1 (ZOOKEEPER-4743). */
export function nextVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new OpError(Err.badVersion, path);
  const next = (current + 1) | 0;
  return next === -1 ? 0 : next;
}

/**
 * Runs a watch registration. ZooKeeper's WatchManager does not validate paths: a watch on "rel" or
 * "" is accepted (and can never fire). Our tables reject such paths, so we skip the registration and
 * answer as ZooKeeper does; only checkWatches on that path could tell the difference.
 */
export function watchPath(path: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error && e.name === 'InvalidPathError')) throw e;
    void path;
  }
}
