/**
 * GET /quality: the quality report (src/quality/report.ts) over the quality log, as
 * JSON-LD, JSON or HTML, narrowed by `source` and `dataset`. The log is the one the records
 * pipeline gives the app (`deps.qualityLog`), or else the JSON Lines log in the data
 * directory. Read on every request: ingests append to it while the hub runs.
 */
import { fileQualityLog } from '../../quality/log.ts';
import { qualityPage } from '../../quality/page.ts';
import { buildQualityReport, qualityJsonld } from '../../quality/report.ts';
import type { QualityLog } from '../../quality/types.ts';
import type { RouteModule } from '../app.ts';
import type { AppDeps } from '../deps.ts';
import { describeEndpoints } from '../endpoints.ts';
import { represent, requestUrl } from '../represent.ts';
import { singleParams } from './interop.ts';

const PARAMETERS: Record<string, string> = {
  source: 'source system (dl:sourceSystem), e.g. the income statements\' system',
  dataset: 'dataset id',
  format: 'jsonld, json or html (overrides Accept)',
};

/** The quality log of the app: the pipeline's, when it provides one in deps, else the data directory's. */
export function qualityLogOf(deps: AppDeps): QualityLog {
  return (deps as AppDeps & { qualityLog?: QualityLog }).qualityLog ?? fileQualityLog(deps.config.dataDir);
}

export const registerQualityRoutes: RouteModule = (app, deps) => {
  describeEndpoints(app, [{
    method: 'GET', path: '/quality',
    summary: 'Quality report: violations by rule per source system and dataset, share of records affected, masked examples, trend over ingests',
    formats: ['application/ld+json', 'application/json', 'text/html'], parameters: PARAMETERS,
  }]);
  const log = qualityLogOf(deps);

  app.get('/quality', async (req, res) => {
    const params = singleParams(req, Object.keys(PARAMETERS));
    const report = buildQualityReport(await log.read(), deps.catalog, { source: params.source, dataset: params.dataset });
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[0] !== 'format' && e[1] !== undefined)).toString();
    res.setHeader('Cache-Control', 'no-store');
    await represent(req, res, {
      jsonld: () => qualityJsonld(report, requestUrl(req)),
      json: () => report,
      html: () => qualityPage(report, { query }),
    });
  });
};
