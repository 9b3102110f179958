// The server under test. watchkeeper by default; WK_SUBJECT=zookeeper points every compat and
// differential test at a second Apache ZooKeeper instead, which is how the harnesses themselves
// are validated (ZooKeeper against ZooKeeper must compare equal).
import { startWatchkeeper, type WatchkeeperOptions } from './watchkeeper.js';
import { startZooKeeper, type RunningServer } from './zookeeper.js';

export type SubjectKind = 'watchkeeper' | 'zookeeper';

export function subjectKind(): SubjectKind {
  const v = process.env.WK_SUBJECT ?? 'watchkeeper';
  if (v !== 'watchkeeper' && v !== 'zookeeper') throw new Error(`WK_SUBJECT must be watchkeeper or zookeeper, not ${v}`);
  return v;
}

export function startSubject(opts: WatchkeeperOptions = {}): Promise<RunningServer> {
  return subjectKind() === 'zookeeper' ? startZooKeeper() : startWatchkeeper(opts);
}
