// Entry of the query worker thread. The store's sources are TypeScript run through tsx,
// and loader hooks registered on the main thread do not reach a worker: register tsx here
// (resolved from this file, so it works whatever the working directory), then load the
// worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./query-worker.ts');
