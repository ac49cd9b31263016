import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { workflowIdFor } from '../../shared/messages';
import { buildReport, renderReport } from '../report';
import type { CliSession } from '../session';
import { renderStatus } from '../status-text';
import { importContext } from './import';
import { addBudgetOptions, addConfigOptions, addConsensusOptions, budgetFromOptions, consensusFromOptions, fullConfigFromOptions } from '../options';

/** Runs a command body with a session; the CLI wires this to commander. */
export type Run = (cmd: Command, body: (session: CliSession, opts: Record<string, unknown>) => Promise<void>) => Promise<void>;

/** Writes a line of text, or a value as indented JSON, to stdout. */
export const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

/** `new`, `resume`, `status`, `objective`, `complete`, `insight`, `stop`, `report`. */
export function registerOrchestrationCommands(program: Command, run: Run): void {
  addConfigOptions(program.command('new').description('start a new orchestration for the project').argument('[objectives...]', 'initial objectives')).action(
    (objectives: string[], _o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const project = session.project();
        const baton = await session.baton();
        const started = await baton.start(project, { config: await fullConfigFromOptions(opts), objectives });
        session.rememberProject(project);
        print(opts.json ? started : `Started ${started.workflowId}\n${session.uiLink(started.workflowId)}`);
      }),
  );

  program
    .command('resume')
    .description('resume the orchestration (a new session), or import a context file into a new one')
    .option('--from <file>', "context JSON to import: seed 002's shape, the Atlas tool's context.json or a Baton export (default: .baton/<project>/context.json when none is running)")
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const project = session.project();
        const baton = await session.baton();
        if (!opts.from && (await baton.isRunning(project))) {
          const r = await baton.resume(project);
          print(opts.json ? r : `Resumed ${workflowIdFor(project)}: session ${r.session}`);
          return;
        }
        const file = path.resolve(String(opts.from ?? path.join(session.dataDir, project, 'context.json')));
        const state = importContext(file, project);
        const started = await baton.start(project, { state });
        session.rememberProject(project);
        print(opts.json ? { ...started, importedFrom: file } : `Imported ${file} into ${started.workflowId}\n${session.uiLink(started.workflowId)}`);
      }),
    );

  program.command('status').description('phase, objectives, tasks, agents, decisions, metrics').action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const status = await (await session.baton()).status(session.project());
      print(opts.json ? status : renderStatus(status));
    }),
  );

  addConsensusOptions(addBudgetOptions(program.command('objective').description('add an objective (optionally with its own budget, or decided by consensus)').argument('<text>'))).action((text: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const objective = await (await session.baton()).addObjective(session.project(), text, budgetFromOptions(opts), undefined, consensusFromOptions(opts));
      print(opts.json ? objective : `Added ${objective.id}: ${objective.description}`);
    }),
  );

  program.command('complete').description('complete a task by hand').argument('<taskId>').argument('<outcome>').action((taskId: string, outcome: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const r = await (await session.baton()).completeTask(session.project(), taskId, outcome);
      print(opts.json ? r : `Completed ${r.taskId}${r.stoppedAgents.length ? ` (stopped ${r.stoppedAgents.join(', ')})` : ''}`);
    }),
  );

  program
    .command('insight')
    .description("record an insight (or, with --agent, add to a named agent's memory)")
    .argument('<text>')
    .option('--source <who>', 'who learned it', 'person')
    .option('--agent <name>', "a named agent whose memory gets it, e.g. Aria")
    .addOption(new Option('--kind <kind>', 'memory kind with --agent').choices(['insight', 'note', 'preference', 'reflection']))
    .action((text: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const r = await (await session.baton()).recordInsight(session.project(), text, String(opts.source), {
        agent: opts.agent as string | undefined,
        kind: opts.kind as 'insight' | undefined,
      });
      print(opts.json ? r : `Recorded insight (${r.insights} in total)`);
    }),
  );

  program
    .command('stop')
    .description('stop all agents now, let them finish (--graceful), or stop one (--agent)')
    .option('--graceful', 'let running agents finish; start no new ones')
    .option('--agent <id>', 'stop one agent, e.g. AGENT_0003')
    .action((_o, cmd: Command) =>
      run(cmd, async (session, opts) => {
        const input = { ...(opts.graceful ? { graceful: true } : {}), ...(opts.agent ? { agentId: String(opts.agent) } : {}) };
        const r = await (await session.baton()).stop(session.project(), input);
        const what = opts.agent ? `Stopped ${opts.agent}` : r.graceful ? 'Stopping gracefully: running agents will finish' : `Stopped ${r.stoppedAgents.length} running agent(s)`;
        print(opts.json ? r : `${what}. Resume with \`baton resume\`.`);
      }),
    );

  addBudgetOptions(
    program
      .command('decide')
      .description('answer a pending decision; budget decisions: `raise --max-usd N` or `stop`')
      .argument('<decisionId>')
      .argument('<choice>')
      .option('--rationale <text>', 'why'),
  ).action((decisionId: string, choice: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const budget = budgetFromOptions(opts);
      const input = { decisionId, choice, ...(opts.rationale ? { rationale: String(opts.rationale) } : {}), ...(budget ? { budget } : {}) };
      const d = await (await session.baton()).decide(session.project(), input);
      print(opts.json ? d : `${d.id}: ${d.choice}`);
    }),
  );

  program.command('report').description('orchestration report (markdown, or --json)').action((_o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const baton = await session.baton();
      const project = session.project();
      const [status, context] = await Promise.all([baton.status(project), baton.context(project)]);
      const report = buildReport(status, context, new Date().toISOString());
      print(opts.json ? report : renderReport(report));
    }),
  );
}
