import type { Command } from '../cli.ts';
import { startHub } from '../server.ts';
import { parseCommandArgs } from './args.ts';

export const command: Command = {
  name: 'serve',
  summary: 'Serve the hub (catalog API, SPARQL gate, web interface) over HTTP',
  usage: 'datalyft serve [--port N] [--data-dir DIR] [--persons N]\n\nOn an empty data directory, demo data for --persons persons (DATALYFT_DEMO_PERSONS, default 10000; 0 = none)\nis generated and loaded after the server listens; /health answers "starting" until it is in.\n\nEnvironment: PORT (8080), HOST, DATALYFT_DATA_DIR (./data) and the others listed in README.md.',
  async run(args, io) {
    const { values } = parseCommandArgs({ args, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, persons: { type: 'string' } }, strict: true });
    const env = { ...process.env };
    if (values.port !== undefined) env.PORT = values.port;
    if (values['data-dir'] !== undefined) env.DATALYFT_DATA_DIR = values['data-dir'];
    if (values.persons !== undefined) env.DATALYFT_DEMO_PERSONS = values.persons;
    const hub = await startHub({ env, log: io.err });
    io.out(`Datalyft hub serving on ${hub.url} (data directory ${hub.deps.config.dataDir})`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.err('Stopping ...');
    await hub.close();
    return 0;
  },
};
