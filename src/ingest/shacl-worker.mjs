// Entry of the SHACL worker thread (src/ingest/shapes.ts ShaclWorker). The sources are
// TypeScript run through tsx, and loader hooks registered on the main thread do not reach a
// worker: register tsx here, then load the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./shacl-worker.ts');
