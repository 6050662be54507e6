/**
 * createApp(deps): the express app, with thin routes per subsystem and one problem+json
 * error handler. No listening here: see server.ts.
 */
import express from 'express';
import { DatalyftError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { problemMiddleware, sendProblem } from './problem.ts';
import { registerCatalogRoutes } from './routes/catalog.ts';
import { registerDcatRoutes } from './routes/dcat.ts';
import { registerInteropRoutes } from './routes/interop.ts';
import { registerQualityRoutes } from './routes/quality.ts';
import { registerRecordsRoutes } from './routes/records.ts';
import { registerSparqlRoutes } from './routes/sparql.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerRegisterRoutes } from './routes/register.ts';
import { registerWebSessionRoutes } from './routes/web-session.ts';
import { registerWebQueryRoutes } from './routes/web-sparql.ts';

export type RouteModule = (app: express.Express, deps: AppDeps) => void;

/** Route modules, in order. Each subsystem registers its routes in one module. */
const ROUTES: RouteModule[] = [registerCatalogRoutes, registerRecordsRoutes, registerDcatRoutes, registerSparqlRoutes, registerAuditRoutes, registerQualityRoutes, registerInteropRoutes, registerWebSessionRoutes, registerRegisterRoutes, registerWebQueryRoutes];

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.set('json spaces', 2);
  app.locals.publicUrl = deps.config.publicUrl;

  app.get('/health', (_req, res) => {
    res.json({ status: deps.ready() ? 'ok' : 'starting', datasets: deps.catalog.datasets.size });
  });

  for (const register of ROUTES) register(app, deps);

  app.use((req, res) => {
    sendProblem(res, new DatalyftError('not-found', `Nothing at ${req.method} ${req.path}. GET / lists what the hub offers.`, { status: 404, where: { path: req.path } }), req.originalUrl);
  });
  app.use(problemMiddleware(deps.log));
  return app;
}
