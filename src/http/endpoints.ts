/**
 * What GET / lists: each route module describes its endpoints here when it registers, so
 * the index a developer reads is the set of routes actually mounted.
 */
export interface EndpointDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  /** Media types offered (first = default). */
  formats?: string[];
  /** Query parameters, with a short meaning. */
  parameters?: Record<string, string>;
}

/** Endpoints described by the route modules of each app, keyed by method and path. */
const registry = new WeakMap<object, Map<string, EndpointDoc>>();

export function describeEndpoints(app: object, docs: EndpointDoc[]): void {
  let map = registry.get(app);
  if (!map) {
    map = new Map();
    registry.set(app, map);
  }
  for (const doc of docs) map.set(`${doc.method} ${doc.path}`, doc);
}

export function listEndpoints(app: object): EndpointDoc[] {
  return [...(registry.get(app)?.values() ?? [])];
}
