/**
 * GET /interoperability: the interoperability report (src/interop/report.ts) as JSON-LD,
 * JSON or HTML, narrowed by `dataset` and `concept`; `paths=all` lists every join path.
 * The report is pure over the catalog and the day (regime validity), so it is built once
 * per day.
 */
import type { Request } from 'express';
import { DatalyftError } from '../../errors.ts';
import { buildInteropReport, interopJsonld, viewInteropReport, type InteropReport } from '../../interop/report.ts';
import { interopPage } from '../../interop/page.ts';
import type { RouteModule } from '../app.ts';
import { describeEndpoints } from '../endpoints.ts';
import { represent, requestUrl } from '../represent.ts';

const PARAMETERS: Record<string, string> = {
  dataset: 'dataset id: its row, its conflicts and its join paths with their lawful purposes',
  concept: 'identifying concept id (personnummer, arendeid ...): its join paths and who may join what',
  paths: '"all" to list every join path of the unnarrowed report (thousands)',
  format: 'jsonld, json or html (overrides Accept)',
};

/** One value of a query parameter; refuses repeated or unknown parameters with a clear code. */
export function singleParams(req: Request, allowed: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!allowed.includes(key)) {
      throw new DatalyftError('unknown-parameter', `Unknown parameter "${key}"; this endpoint takes ${allowed.join(', ')}.`, { status: 400, where: { parameter: key } });
    }
    if (typeof value !== 'string') {
      throw new DatalyftError('invalid-parameter', `Give "${key}" once, as a plain value.`, { status: 400, where: { parameter: key } });
    }
    out[key] = value === '' ? undefined : value;
  }
  return out;
}

export const registerInteropRoutes: RouteModule = (app, deps) => {
  describeEndpoints(app, [{
    method: 'GET', path: '/interoperability',
    summary: 'Interoperability report: elements mapped to shared concepts, conflicting definitions, join paths and the purposes under which each join is lawful per regime',
    formats: ['application/ld+json', 'application/json', 'text/html'], parameters: PARAMETERS,
  }]);
  let cached: { day: string; report: InteropReport } | undefined;
  const report = (): InteropReport => {
    const now = deps.now();
    const day = now.toISOString().slice(0, 10);
    if (!cached || cached.day !== day) cached = { day, report: buildInteropReport(deps.catalog, { time: now }) };
    return cached.report;
  };

  app.get('/interoperability', async (req, res) => {
    const params = singleParams(req, Object.keys(PARAMETERS));
    if (params.paths !== undefined && params.paths !== 'all') {
      throw new DatalyftError('invalid-parameter', `paths takes the value "all" (not "${params.paths}").`, { status: 400, where: { parameter: 'paths' } });
    }
    const view = viewInteropReport(report(), deps.catalog, { dataset: params.dataset, concept: params.concept, allPaths: params.paths === 'all' });
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[0] !== 'format' && e[1] !== undefined)).toString();
    await represent(req, res, {
      jsonld: () => interopJsonld(view, requestUrl(req)),
      json: () => view,
      html: () => interopPage(view, {
        datasets: [...deps.catalog.datasets.values()].map((d) => d.id).sort(),
        concepts: [...deps.catalog.concepts.values()].filter((c) => c.identifying).map((c) => c.id).sort(),
        query, allPaths: params.paths === 'all',
      }),
    });
  });
};
