// The HTTP load generator, run as a process of its own so that it does not share the
// hub's event loop: autocannon with N concurrent connections against one route, cycling
// through a list of paths. Prints one JSON line with what it measured.
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
let next = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  headers: spec.headers ?? {},
  requests: [{ setupRequest: (request) => ({ ...request, path: spec.paths[next++ % spec.paths.length] }) }],
});
const ok = result['2xx'] ?? 0;
process.stdout.write(`${JSON.stringify({
  requestsPerSecond: ok / result.duration,
  ok,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  seconds: result.duration,
  latencyMedianMs: result.latency.p50,
  latencyP99Ms: result.latency.p99,
})}\n`);
