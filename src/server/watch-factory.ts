// The default watch table implementation. The WASM manager replaces the reference one as the
// default once it is built; tests pass a factory to run the server over either.
import { ReferenceWatchManager } from '../watch/reference.js';
import type { WatchManager } from '../watch/types.js';

export const defaultWatchManagerFactory = (): WatchManager => new ReferenceWatchManager();
