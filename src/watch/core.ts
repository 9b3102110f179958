// The public face of the watch core: both WatchManager implementations, the path rules they
// enforce, and the notification frame they build. src/index.ts re-exports this file.
export { ReferenceWatchManager } from './reference.js';
export { WasmWatchManager, type WasmWatchManagerOptions } from './wasm-manager.js';
export { validatePath, validatePathBytes, isValidPathBytes, pathProblem } from './path.js';
export { buildNotificationFrame, writeNotificationFrame, NOTIFICATION_FRAME_OVERHEAD } from './frame.js';
