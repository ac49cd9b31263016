import type { Command } from 'commander';
import type { BatonEvent } from '../../shared/events';
import { positiveInt } from '../options';
import { print, type Run } from './orchestration';
import { agentProgress, followEvents } from '../watch';
import { applyEvent, emptyView, narrate, newNarration, renderView, type WatchView } from '../watch-view';

const RESTING = new Set(['idle', 'paused']);

/** `watch`: the orchestration live, from its events (long-poll; never misses a transition); `--json` prints one event per line. */
export function registerWatchCommand(program: Command, run: Run): void {
  program
    .command('watch')
    .description('follow the orchestration live: phases, running agents, decisions, events (--json: one event per line)')
    .option('--from <ordinal>', 'start after this event ordinal (default: every event the log still holds)', positiveInt('--from'))
    .option('--until-idle', 'exit once the session is over and every event is shown (for scripts)')
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const baton = await session.baton();
        const project = session.project();
        const dashboard = !opts.json && process.stdout.isTTY === true;
        let view: WatchView = emptyView();
        let narration = newNarration();
        const draw = async () => {
          if (!dashboard) return;
          const progress = await agentProgress(baton, project, Object.keys(view.running));
          const running = Object.fromEntries(Object.entries(view.running).map(([id, a]) => [id, { ...a, progress: progress[id] }]));
          process.stdout.write(`\x1b[2J\x1b[H${renderView({ ...view, running })}\n`);
        };
        const ticker = dashboard ? setInterval(() => void draw().catch(() => undefined), 2000) : undefined;
        try {
          // Ctrl-C ends the process at once (no handler): nothing is held that needs a clean shutdown.
          for await (const page of followEvents(baton, project, Number(opts.from ?? 0))) {
            if (page.missed) show(opts.json ? undefined : `! ${page.missed} event(s) fell out of the log before they were read (it keeps the last 200)`);
            for (const e of page.events) {
              view = applyEvent(view, e);
              if (opts.json) print(JSON.stringify(e));
              else if (!dashboard) {
                const said = narrate(narration, e);
                narration = said.narration;
                for (const line of said.lines) print(`${time(e)} ${line}`);
              }
            }
            await draw();
            const last = page.events.at(-1);
            if (opts.untilIdle && RESTING.has(page.phase) && last?.ordinal === page.next - 1) break;
          }
        } finally {
          if (ticker) clearInterval(ticker);
        }
      }),
    );
}

function show(line: string | undefined): void {
  if (line) print(line);
}

function time(e: BatonEvent): string {
  return e.at.slice(11, 19);
}
