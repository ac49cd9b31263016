import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { workflowIdFor } from '../../shared/messages';
import type { StatusView } from '../../shared/status';
import { parseOrThrow } from '../../shared/zod-errors';
import { type BatonClient, BatonError } from '../baton-client';
import { ensureLocalServices } from '../local';
import { eventProgress } from '../progress';
import { queryEvents, waitEvents } from '../watch';
import { loadTargetsFile } from '../targets-file';
import { resolveGitTargets } from '../../git/targets';
import type { Target } from '../../shared/targets';
import { buildReport, renderReport } from '../report';
import { addConfigOptions, fullConfigFromOptions } from '../options';
import type { Run } from './orchestration';

/** examples/demo/demo.json: the demo project and the objectives it adds. */
const DemoFile = z.strictObject({
  project: z.string(),
  scenario: z.string(),
  mode: z.enum(['parallel', 'sequential', 'batch']),
  maxAgents: z.number().int().min(1),
  objectives: z.array(z.string()).min(1),
  addedMidRun: z.array(z.string()).default([]),
  /** targets.yaml of the roadmap part; its targets are copied into the data dir as fresh git repositories. */
  targets: z.string().optional(),
  /** Work streams to run once the orchestration starts (`all`: every available one). */
  runStreams: z.union([z.literal('all'), z.array(z.string())]).optional(),
  /** How the demo answers an escalated task, as a person would with `baton decide`. */
  answerEscalations: z.enum(['retry', 'skip']).default('skip'),
});

const DEMO_DIR = path.resolve(__dirname, '../../../examples/demo');
const say = (m: string) => process.stdout.write(`${m}\n`);

/** `demo`: server + worker in the background, then a full orchestration of examples/demo, with progress and report. */
export function registerDemoCommand(program: Command, run: Run): void {
  addConfigOptions(program.command('demo').description('run the bundled example orchestration end to end')).action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const demo = parseOrThrow(DemoFile, JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'demo.json'), 'utf8')), 'examples/demo/demo.json');
      const project = (opts.project as string | undefined) ?? demo.project;
      if ((opts.runtime === 'anthropic' || opts.runtime === 'claude-code') && !process.env.ANTHROPIC_API_KEY) {
        throw new BatonError(`--runtime ${opts.runtime} runs real Claude agents: set ANTHROPIC_API_KEY first (the background worker reads it)`);
      }
      // A real runtime needs the worker to see this shell's key (or BATON_COMMAND_AGENT), so it is restarted rather than reused.
      const real = opts.runtime !== undefined && opts.runtime !== 'scripted';
      await ensureLocalServices(session.settings, session.dataDir, async () => (await session.baton()).connection, say, { fresh: real });
      const baton = await session.baton();

      // The demo always starts over: a fresh workspace and a fresh orchestration.
      fs.rmSync(path.join(session.dataDir, project), { recursive: true, force: true });
      const targets = demo.targets ? await copyTargets(path.join(DEMO_DIR, demo.targets), path.join(session.dataDir, project)) : undefined;
      const config = {
        mode: demo.mode,
        maxAgents: demo.maxAgents,
        scenario: path.join(DEMO_DIR, demo.scenario),
        ...(targets ? { targets } : {}),
        ...(await fullConfigFromOptions(opts)),
      };
      const started = await baton.start(project, { config, objectives: demo.objectives, replaceExisting: true });
      if (demo.runStreams) await baton.runStreams(project, demo.runStreams);
      session.rememberProject(project);
      say(`Orchestration ${started.workflowId} started (agents: ${config.runtime ?? 'scripted'}${(config.runtime ?? 'scripted') === 'scripted' ? ', simulated' : ''})`);
      say(`Watch it in the Temporal UI: ${session.uiLink(started.workflowId)}\n`);

      const first = demo.objectives.length + (demo.runStreams ? 1 : 0);
      const final = await follow(baton, project, first + demo.addedMidRun.length, async (status) => {
        if (demo.addedMidRun.length && status.metrics.total_tasks_completed >= 1 && status.objectives.length === first) {
          for (const description of demo.addedMidRun) await baton.addObjective(project, description);
        }
        for (const d of status.pendingDecisions.filter((x) => x.kind === 'recovery')) {
          say(`  (the demo answers like a person would: baton decide ${d.id} ${demo.answerEscalations})`);
          await baton.decide(project, { decisionId: d.id, choice: demo.answerEscalations, rationale: 'demo: the opening hours are for the bakery to decide' });
        }
      });
      const report = buildReport(final, await baton.context(project), new Date().toISOString());
      say(`\n${renderReport(report)}\n`);
      say(`Workspace: ${path.join(session.dataDir, project, 'workspace')}`);
      for (const t of targets ?? []) {
        say(`Target ${t.name}: ${t.path} (roadmap ${path.relative(t.path, t.roadmap)}, dev log ${path.relative(t.path, t.devLog)})`);
        say(`  its agents' commits: git -C ${t.path} log --format='%h %an: %s' ${t.git?.integrationBranch ?? 'HEAD'}`);
      }
      say(`Context:   ${path.join(session.dataDir, project, 'context.json')}`);
      say(`Temporal UI: ${session.uiLink(workflowIdFor(project))}`);
      say('The server and worker keep running: try `npx baton status`, `npx baton objective "…"`; stop them with `npx baton down`.');
    }),
  );
}

/** Print the orchestration's events as they happen until every expected objective has settled and the session is over. */
async function follow(baton: BatonClient, project: string, expected: number, onTick: (s: StatusView) => Promise<void>): Promise<StatusView> {
  const progress = eventProgress(say);
  for (;;) {
    // A short long-poll: the demo also answers decisions and adds objectives between reads.
    progress.show(await waitEvents(baton, project, progress.after(), 1000));
    const status = await baton.status(project);
    // Everything up to this status is in the log now: told before the demo acts on it, and before it stops.
    progress.show(await queryEvents(baton, project, progress.after()));
    await onTick(status);
    const done = status.objectives.length >= expected && status.objectives.every((o) => o.status === 'completed' || o.status === 'failed');
    if (done && (status.phase === 'idle' || status.phase === 'paused')) return status;
  }
}

/** Copy the example targets file and its target folders into the project's data dir, as fresh git repositories (so gates see real diffs), and load the copy. */
async function copyTargets(file: string, into: string): Promise<Target[]> {
  fs.mkdirSync(into, { recursive: true });
  for (const t of await loadTargetsFile(file)) fs.cpSync(t.path, path.join(into, path.relative(path.dirname(file), t.path)), { recursive: true });
  const copy = path.join(into, path.basename(file));
  fs.copyFileSync(file, copy);
  const targets = await loadTargetsFile(copy);
  for (const t of targets) {
    // Real repositories: each agent works in its own worktree and its verified work is committed and merged into main.
    spawnSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: t.path });
    spawnSync('git', ['add', '-A'], { cwd: t.path });
    spawnSync('git', ['-c', 'user.name=Baton demo', '-c', 'user.email=demo@baton.invalid', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'baseline'], { cwd: t.path });
  }
  return resolveGitTargets(targets);
}
