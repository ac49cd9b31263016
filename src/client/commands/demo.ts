import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { workflowIdFor } from '../../shared/messages';
import type { StatusView } from '../../shared/status';
import { parseOrThrow } from '../../shared/zod-errors';
import { type BatonClient, BatonError } from '../baton-client';
import { ensureLocalServer, ensureLocalWorker } from '../local';
import { progressLines } from '../progress';
import { buildReport, renderReport } from '../report';
import { addConfigOptions, fullConfigFromOptions, type Run } from './orchestration';

/** examples/demo/demo.json: the demo project and the objectives it adds. */
const DemoFile = z.strictObject({
  project: z.string(),
  scenario: z.string(),
  mode: z.enum(['parallel', 'sequential', 'batch']),
  maxAgents: z.number().int().min(1),
  objectives: z.array(z.string()).min(1),
  addedMidRun: z.array(z.string()).default([]),
});

const DEMO_DIR = path.resolve(__dirname, '../../../examples/demo');
const say = (m: string) => process.stdout.write(`${m}\n`);

/** `demo`: server + worker in the background, then a full orchestration of examples/demo, with progress and report. */
export function registerDemoCommand(program: Command, run: Run): void {
  addConfigOptions(program.command('demo').description('run the bundled example orchestration end to end')).action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const demo = parseOrThrow(DemoFile, JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'demo.json'), 'utf8')), 'examples/demo/demo.json');
      const project = (opts.project as string | undefined) ?? demo.project;
      const real = opts.runtime === 'anthropic';
      if (real && !process.env.ANTHROPIC_API_KEY) {
        throw new BatonError('--runtime anthropic runs real Claude agents: set ANTHROPIC_API_KEY first (the background worker reads it)');
      }
      await ensureLocalServer(session.settings, session.dataDir, say);
      const baton = await session.baton();
      // A real runtime needs the worker to see this shell's key, so it is restarted rather than reused.
      await ensureLocalWorker(baton.connection, session.settings, session.dataDir, say, { fresh: real });

      // The demo always starts over: a fresh workspace and a fresh orchestration.
      fs.rmSync(path.join(session.dataDir, project), { recursive: true, force: true });
      const config = {
        mode: demo.mode,
        maxAgents: demo.maxAgents,
        scenario: path.join(DEMO_DIR, demo.scenario),
        ...(await fullConfigFromOptions(opts)),
      };
      const started = await baton.start(project, { config, objectives: demo.objectives, replaceExisting: true });
      session.rememberProject(project);
      say(`Orchestration ${started.workflowId} started (agents: ${config.runtime ?? 'scripted'}${(config.runtime ?? 'scripted') === 'scripted' ? ', simulated' : ''})`);
      say(`Watch it in the Temporal UI: ${session.uiLink(started.workflowId)}\n`);

      const final = await follow(baton, project, demo.objectives.length + demo.addedMidRun.length, async (status) => {
        if (demo.addedMidRun.length && status.metrics.total_tasks_completed >= 1 && status.objectives.length === demo.objectives.length) {
          for (const description of demo.addedMidRun) await baton.addObjective(project, description);
        }
      });
      const report = buildReport(final, await baton.context(project), new Date().toISOString());
      say(`\n${renderReport(report)}\n`);
      say(`Workspace: ${path.join(session.dataDir, project, 'workspace')}`);
      say(`Context:   ${path.join(session.dataDir, project, 'context.json')}`);
      say(`Temporal UI: ${session.uiLink(workflowIdFor(project))}`);
      say('The server and worker keep running: try `npx baton status`, `npx baton objective "…"`; stop them with `npx baton down`.');
    }),
  );
}

/** Print progress until every expected objective has settled and the session is over. */
async function follow(baton: BatonClient, project: string, expected: number, onTick: (s: StatusView) => Promise<void>): Promise<StatusView> {
  let prev: StatusView | undefined;
  for (;;) {
    const status = await baton.status(project);
    for (const line of progressLines(prev, status)) say(line);
    prev = status;
    await onTick(status);
    const done = status.objectives.length >= expected && status.objectives.every((o) => o.status === 'completed' || o.status === 'failed');
    if (done && (status.phase === 'idle' || status.phase === 'paused')) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}
