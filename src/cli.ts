/**
 * The `datalyft` command: verbs, each with its own help. Errors go to stderr with a
 * non-zero exit code; the exit code is returned, never process.exit() mid-work.
 */
import { describeError, isDatalyftError } from './errors.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

// `datalyft export ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

async function commands(): Promise<Command[]> {
  const modules = await Promise.all([
    import('./cli/serve.ts'),
    import('./cli/export.ts'),
    import('./cli/validate.ts'),
    import('./cli/ingest.ts'),
    import('./cli/demo.ts'),
    import('./cli/shapes.ts'),
    import('./cli/erase.ts'),
    import('./cli/quality.ts'),
    import('./cli/interop.ts'),
    import('./cli/audit.ts'),
  ]);
  return modules.map((m) => m.command);
}

function help(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'datalyft — catalog, interoperability hub and purpose gate for FK and PM data',
    '',
    'Usage: datalyft <command> [options]    (datalyft <command> --help for one command)',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const list = await commands();
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(help(list));
    return verb ? 0 : 2;
  }
  const command = list.find((c) => c.name === verb);
  if (!command) {
    io.err(`datalyft: unknown command "${verb}".\n\n${help(list)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`datalyft ${verb}: ${describeError(error)}`);
    return isDatalyftError(error) && error.status < 500 ? 2 : 1;
  }
}
