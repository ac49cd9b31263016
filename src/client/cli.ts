import { Command, CommanderError } from 'commander';
import { registerDemoCommand } from './commands/demo';
import { registerImportCommand } from './commands/import';
import { registerOrchestrationCommands, type Run } from './commands/orchestration';
import { registerRoadmapCommands } from './commands/roadmap';
import { registerServiceCommands } from './commands/services';
import { registerWatchCommand } from './commands/watch';
import { registerIntakeCommand } from './commands/intake';
import { CliSession, type GlobalOptions } from './session';

/** Exit codes: 0 ok, 1 the operation failed, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Build the `baton` program. */
export function buildProgram(): Command {
  const program = new Command('baton')
    .description('Durable orchestrator for teams of AI agents, on Temporal')
    .option('-p, --project <name>', 'project (default: $BATON_PROJECT or the last one used)')
    .option('--profile <name>', 'temporal.toml profile (default: $TEMPORAL_PROFILE or "default")')
    .option('--address <host:port>', 'Temporal frontend address (overrides the profile)')
    .option('--namespace <ns>', 'Temporal namespace (overrides the profile)')
    .option('--data-dir <dir>', 'where context, workspaces and local services live (default: ./.baton)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .showHelpAfterError();
  const run: Run = async (cmd, body) => {
    const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const session = new CliSession(opts);
    try {
      await body(session, opts);
    } finally {
      await session.close();
    }
  };
  registerOrchestrationCommands(program, run);
  registerRoadmapCommands(program, run);
  registerServiceCommands(program, run);
  registerDemoCommand(program, run);
  registerWatchCommand(program, run);
  registerIntakeCommand(program, run);
  registerImportCommand(program, run);
  return program;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.BATON_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT.failed;
  }
}
