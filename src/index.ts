// Public exports of the watchkeeper package. Internal modules are not re-exported.
export * from './watch/types.js';
export { OpCode, Err, EventType, KeeperState, Perms, CreateFlag, WatcherType, AddWatchMode } from './proto/constants.js';
export { WasmWatchManager, ReferenceWatchManager, validatePath, buildNotificationFrame } from './watch/core.js';
export { createServer, type WatchkeeperServer, type ExtraServerOptions } from './server/server.js';
export { defaultOptions, parseZooCfg, resolveOptions, ConfigError, type ServerOptions, type ServerOptionsInput } from './server/config.js';
export * as persist from './persist/index.js';
