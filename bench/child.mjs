// Entry of the bench's child processes: register tsx (as bin/datalyft.js does), then run
// the TypeScript module named as the first argument.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';

register();
await import(pathToFileURL(process.argv[2]).href);
