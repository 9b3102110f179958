// All wire and txn records, in one import.
export * from './data.js';
export * from './connect.js';
export * from './requests.js';
export * from './responses.js';
export * from './txn.js';
export * from './multi.js';
