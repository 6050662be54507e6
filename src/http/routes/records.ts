/**
 * Records in: POST /datasets/{id}/records takes a batch in the source system's own layout
 * (a JSON array, or NDJSON with Content-Type application/x-ndjson) from a principal whose
 * role may write the dataset, and answers with what was written, or with a problem: 401
 * without a token, 403 `write-not-permitted`, 400 for a body that is not JSON, nests too
 * deep, carries a prototype-pollution key or a remote JSON-LD context, and 422
 * `batch-rejected` listing every violation. The work is src/ingest/pipeline.ts.
 *
 * GET /datasets/{id}/records/schema and /records/shapes show the two validation layers
 * (JSON Schema at the door, SHACL in the graph) for a source system's layout.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { DatalyftError } from '../../errors.ts';
import { parseRecordsText, type BodyFormat } from '../../ingest/guard.ts';
import { assertMayWrite, ingestBatch, ingestEngine } from '../../ingest/pipeline.ts';
import { recordSchema } from '../../ingest/schema.ts';
import { recordShapesTurtle } from '../../ingest/shapes.ts';
import { authenticate } from '../../sparql/auth.ts';
import type { AppDeps } from '../deps.ts';

const JSON_TYPES = ['application/json', 'application/ld+json'];
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-seq'];

function sourceSystemOf(req: Request): string | undefined {
  const value = req.query.sourceSystem ?? req.query['source-system'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new DatalyftError('invalid-parameter', 'sourceSystem must be one source system id, e.g. ?sourceSystem=skatteverket-inkomst.', { status: 400, where: { parameter: 'sourceSystem' } });
  return value;
}

export function registerRecordsRoutes(app: express.Express, deps: AppDeps): void {
  const readBody = express.text({ type: [...JSON_TYPES, ...NDJSON_TYPES], limit: deps.config.bodyLimitBytes, defaultCharset: 'utf-8' });
  const ingestDeps = { catalog: deps.catalog, store: deps.store, config: deps.config, now: deps.now, log: deps.log };

  // Who and what before the body is read: a request that may not write is never parsed.
  const admit = (req: Request, res: Response, next: NextFunction): void => {
    try {
      const dataset = deps.catalog.requireDataset(String(req.params.id));
      const auth = authenticate(req, deps.tokens);
      if (!auth.principal) throw new DatalyftError('authentication-required', 'Writing records needs a principal: send Authorization: Bearer <token> (README lists the demo tokens).', { status: 401 });
      assertMayWrite(deps.catalog, auth.principal, dataset);
      const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (!type || ![...JSON_TYPES, ...NDJSON_TYPES].includes(type)) {
        throw new DatalyftError('unsupported-media-type', `Send records as ${JSON_TYPES[0]} (an array) or ${NDJSON_TYPES[0]} (one record per line)${type ? `, not ${type}` : ''}.`, { status: 415 });
      }
      res.locals.dataset = dataset.iri;
      res.locals.principal = auth.principal;
      res.locals.format = NDJSON_TYPES.includes(type) ? 'ndjson' : 'json';
      next();
    } catch (error) {
      next(error);
    }
  };

  const ingest = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const text = typeof req.body === 'string' ? req.body : '';
      const records = parseRecordsText(text, { format: res.locals.format as BodyFormat });
      const result = await ingestBatch(ingestDeps, {
        dataset: res.locals.dataset as string, sourceSystem: sourceSystemOf(req), records, principal: res.locals.principal as string, via: 'http',
      });
      res.status(200).json({
        dataset: result.dataset, sourceSystem: result.sourceSystem, records: result.records, accepted: result.accepted,
        quads: result.quads, replaced: result.replaced, graphs: result.graphs,
      });
    } catch (error) {
      next(error);
    }
  };

  app.post('/datasets/:id/records', admit, readBody, ingest);

  app.get('/datasets/:id/records/schema', (req, res, next) => {
    try {
      const dataset = deps.catalog.requireDataset(String(req.params.id));
      const layout = ingestEngine(deps.catalog).mappings.layout(dataset, sourceSystemOf(req));
      res.type('application/schema+json').send(JSON.stringify(recordSchema(layout), null, 2));
    } catch (error) {
      next(error);
    }
  });

  app.get('/datasets/:id/records/shapes', (req, res, next) => {
    try {
      const dataset = deps.catalog.requireDataset(String(req.params.id));
      res.type('text/turtle').send(recordShapesTurtle(deps.catalog, dataset));
    } catch (error) {
      next(error);
    }
  });
}
