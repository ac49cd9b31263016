import type { Command } from 'commander';
import { natsConnection, natsUrlFromEnv } from '../../nats/bus';
import { DEFAULT_INTAKE_SUBJECTS, startIntake } from '../../nats/intake';
import { BatonError } from '../baton-client';
import type { Run } from './orchestration';

/** `intake`: objectives published on NATS subjects become validated addObjective calls (seed 003's task intake). */
export function registerIntakeCommand(program: Command, run: Run): void {
  program
    .command('intake')
    .description('turn objectives published on NATS (default subject baton.<project>.intake) into addObjective calls, until Ctrl-C')
    .option('--nats-url <url>', 'NATS server (default: $NATS_URL)')
    .option('--subject <subject>', 'subject to take objectives from (repeatable; default baton.*.intake, or $BATON_NATS_INTAKE, comma-separated)', (v: string, acc: string[] = []) => [...acc, v])
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const url = (opts.natsUrl as string | undefined) ?? natsUrlFromEnv();
        if (!url) throw new BatonError('no NATS server: pass --nats-url nats://host:4222 or set NATS_URL (`baton server --nats` starts one)');
        const subjects = (opts.subject as string[] | undefined) ?? intakeSubjectsFromEnv() ?? DEFAULT_INTAKE_SUBJECTS;
        const bad = subjects.find((s) => !/^[^\s]+$/.test(s) || s.startsWith('.') || s.endsWith('.') || s.includes('..'));
        if (bad !== undefined) throw new BatonError(`--subject: "${bad}" is not a NATS subject (tokens separated by dots, no spaces)`);
        let defaultProject: string | undefined;
        try {
          defaultProject = session.project();
        } catch {
          defaultProject = undefined;
        }
        const baton = await session.baton();
        let nc;
        try {
          nc = await natsConnection(url);
        } catch (err) {
          throw new BatonError(`cannot connect to NATS at ${url}: ${(err as Error).message}`);
        }
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const intake = startIntake({ nc, subjects, defaultProject, log, addObjective: (project, input) => baton.addObjective(project, input.description, input.budget, input.streams) });
        await nc.flush();
        log(`Baton intake on ${url}: ${subjects.join(', ')}${defaultProject ? ` (default project ${defaultProject})` : ''}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await intake.stop();
        await nc.drain();
      }),
    );
}

function intakeSubjectsFromEnv(): string[] | undefined {
  const list = process.env.BATON_NATS_INTAKE?.split(',').map((s) => s.trim()).filter(Boolean);
  return list?.length ? list : undefined;
}
