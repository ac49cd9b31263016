/**
 * Regenerates test/replay/histories: runs representative orchestrations (every message type, stops,
 * resume, a budget decision, a mid-run objective) on a throwaway dev server and saves their histories.
 * Run after any workflow change that is meant to be compatible: `npm run replay:export`
 * (`REPLAY_ONLY=roadmap-rework npm run replay:export` records one and keeps the rest).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { BatonClient } from '../src/client/baton-client';
import { closeNatsConnections } from '../src/nats/bus';
import { startNatsServer } from '../src/nats/server';
import { waitEventsUpdate } from '../src/shared/events';
import { startDevServer } from '../src/server/dev-server';
import { freePort } from '../src/server/free-port';
import { resolveTemporalCli } from '../src/server/temporal-binary';
import { addObjectiveSignal, stopSignal } from '../src/shared/messages';
import type { StatusView } from '../src/shared/status';
import { createWorkers, runWorkers } from '../src/workers/worker';

const OUT = path.resolve(__dirname, '../test/replay/histories');
const SCENARIO = `
name: replay
plans:
  - match: "alpha"
    tasks:
      - { key: research-a, role: researcher, mission: "Research A" }
      - { key: research-b, role: researcher, mission: "Research B" }
      - { key: build, role: developer, mission: "Build from A and B", dependsOn: [research-a, research-b] }
  - match: "slow"
    tasks:
      - { key: slow-one, role: researcher, mission: "Slow one" }
      - { key: slow-two, role: analyst, mission: "Slow two" }
      - { key: after, role: developer, mission: "After both", dependsOn: [slow-one, slow-two] }
  - match: "consensus"
    tasks:
      - { key: agree, role: researcher, mission: "Agreeing question", consensus: { agents: 3 } }
      - { key: split, role: analyst, mission: "Split question", consensus: { agents: 3 } }
      - { key: held, role: reviewer, mission: "Held question", consensus: { agents: 3, quorum: 3, belowQuorum: escalate } }
  - match: "delegate the launch"
    tasks:
      - { key: lead-launch, role: researcher, mission: "Lead the launch research", lead: { team: "pricing, users" } }
      - { key: wrap-up, role: developer, mission: "Wrap up the launch", dependsOn: [lead-launch] }
  - match: "lead the launch research"
    tasks:
      - { key: lead-users, role: analyst, mission: "Lead the user studies", lead: {} }
      - { key: launch-pricing, role: researcher, mission: "Price the launch" }
  - match: "lead the user studies"
    tasks:
      - { key: user-check, role: qa, mission: "Check the user study" }
  - match: "spend the tree"
    tasks:
      - { key: lead-spend, role: developer, mission: "Lead the spending stream", lead: {} }
      - { key: lead-steady, role: executor, mission: "Lead the steady stream", lead: {} }
  - match: "lead the spending stream"
    tasks:
      - { key: lead-deep-spend, role: developer, mission: "Lead the deep spending", lead: {} }
  - match: "lead the deep spending"
    tasks:
      - { key: spend-a, role: developer, mission: "Spend A" }
      - { key: spend-b, role: developer, mission: "Spend B", dependsOn: [spend-a] }
  - match: "lead the steady stream"
    tasks:
      - { key: steady-1, role: executor, mission: "Steady 1" }
      - { key: steady-2, role: executor, mission: "Steady 2", dependsOn: [steady-1] }
  - match: "halt the tree"
    tasks:
      - { key: lead-halt, role: researcher, mission: "Lead the halting research", lead: {} }
  - match: "lead the halting research"
    tasks:
      - { key: lead-halt-deep, role: researcher, mission: "Lead the deeper halting research", lead: {} }
  - match: "lead the deeper halting research"
    tasks:
      - { key: halt-deep, role: qa, mission: "Halt deep" }
  - match: "pricey"
    tasks:
      - { key: p1, role: researcher, mission: "Pricey one" }
      - { key: p2, role: developer, mission: "Pricey two", dependsOn: [p1] }
agents:
  - match: { key: slow-one }
    delayMs: 3000
  - match: { key: spend-a }
    usage: { tokens: 60 }
    delayMs: 300
  - match: { key: spend-b }
    usage: { tokens: 60 }
    delayMs: 300
  - match: { key: steady-1 }
    usage: { tokens: 1 }
    delayMs: 1500
  - match: { key: steady-2 }
    usage: { tokens: 1 }
    delayMs: 1500
  - match: { key: halt-deep }
    delayMs: 4000
  - match: { key: slow-two }
    delayMs: 1500
  - match: { key: p1 }
    usage: { tokens: 600, costUsd: 0.02 }
  - match: { key: p2 }
    usage: { tokens: 600, costUsd: 0.02 }
  - match: { stream: "repo:1.1", round: 0 }
    files: [{ path: done.txt, content: "not yet" }]
    claims: ["all tests pass"]
  - match: { stream: "repo:1.1" }
    files: [{ path: done.txt, content: "ok" }]
  - match: { stream: "repo:1.2" }
    outcome: failure
    summary: "Needs a person: the rules are not written down."
  - match: { key: agree }
    summary: "Same answer"
  - match: { key: split, agent: Atlas }
    summary: "Answer one"
  - match: { key: split, agent: Nova }
    summary: "Answer two"
  - match: { key: split, agent: Cipher }
    summary: "Answer three"
  - match: { role: advisor }
    summary: "Answer two, on balance"
  - match: { key: held, agent: Vigil }
    summary: "Not yet"
  - match: { key: held }
    summary: "Ship it"
  - match: { key: user-check, agent: Probe }
    outcome: failure
    summary: "The study data is missing."
  - match: { key: research-a }
    failAttempts: 1
    insights: ["A is cheaper"]
    reflections: ["Check prices first"]
defaults: { delayMs: 150 }
`;

const ROADMAP = `# Replay target

## Phase 1

### 1.1 Done file
- **Effort:** S
- **Status:** available

### 1.2 Rules
- **Effort:** S
- **Status:** available
- **Depends on:** 1.1
- **On failure:** escalate
`;

type Settle = (s: StatusView) => boolean;
const idle: Settle = (s) => s.phase === 'idle' || s.phase === 'paused';

async function until(baton: BatonClient, project: string, ok: Settle): Promise<StatusView> {
  for (let i = 0; i < 600; i++) {
    const s = await baton.status(project);
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${project} never settled`);
}

/** Each scenario drives one orchestration through a family of messages. */
const SCENARIOS: Record<string, (baton: BatonClient, project: string, scenario: string) => Promise<void>> = {
  'objectives-insights-complete': async (baton, project, scenario) => {
    await baton.start(project, { config: { scenario }, objectives: ['Objective alpha'] });
    await until(baton, project, (s) => s.runningAgents.length > 0);
    await baton.addObjective(project, 'Objective slow');
    await baton.recordInsight(project, 'Visitors want hours first');
    const s = await until(baton, project, (x) => x.tasks.some((t) => t.mission === 'After both' && t.status !== 'pending'));
    const after = s.tasks.find((t) => t.mission === 'After both')!;
    if (after.status === 'running') await baton.completeTask(project, after.id, 'done by a person');
    await until(baton, project, (x) => idle(x) && x.objectives.every((o) => o.status === 'completed'));
    const name = (await baton.status(project)).team[0]!.name;
    await baton.recordInsight(project, 'Prefers short notes', 'person', { agent: name, kind: 'preference' });
  },
  'stops-and-resume': async (baton, project, scenario) => {
    await baton.start(project, { config: { scenario }, objectives: ['Objective slow'] });
    const running = await until(baton, project, (s) => s.runningAgents.length === 2);
    await baton.stop(project, { agentId: running.runningAgents[1]!.id });
    await baton.stop(project, {});
    await until(baton, project, (s) => s.phase === 'paused');
    await baton.resume(project);
    await until(baton, project, (s) => s.runningAgents.length > 0);
    await baton.stop(project, { graceful: true });
    await until(baton, project, (s) => s.phase === 'paused');
    await baton.resume(project);
    await until(baton, project, (s) => idle(s) && s.tasks.every((t) => t.status === 'completed'));
  },
  'continue-as-new': async (baton, project, scenario) => {
    await baton.start(project, { config: { scenario, continueAsNewAfterEvents: 100 }, objectives: ['Objective alpha', 'Objective slow', 'Something pricey', 'Objective alpha again', 'Objective alpha once more'] });
    await until(baton, project, (s) => idle(s) && s.objectives.every((o) => o.status === 'completed'));
  },
  // The carried limits (patch carried-level) with archiving at work: ten objectives of three tasks past keepTasks 20.
  archive: async (baton, project, scenario) => {
    await baton.start(project, { config: { scenario, keepTasks: 20, maxAgents: 3 }, objectives: Array.from({ length: 10 }, (_, i) => `Objective alpha ${i + 1}`) });
    await until(baton, project, (s) => idle(s) && s.archived.tasks > 0 && s.objectives.every((o) => o.status === 'completed'));
  },
  escalation: async (baton, project, scenario) => {
    // The command runtime without BATON_COMMAND_AGENT cannot run: a failure only a person can fix.
    await baton.start(project, { config: { scenario, roles: { developer: { runtime: 'command' } } }, objectives: ['Objective alpha'] });
    const waiting = await until(baton, project, (s) => idle(s) && s.pendingDecisions.length === 1);
    await baton.decide(project, { decisionId: waiting.pendingDecisions[0]!.id, choice: 'stop' });
    await until(baton, project, (s) => s.phase === 'paused');
  },
  'roadmap-rework': async (baton, project, scenario) => {
    // A target with a roadmap and a real gate: one stream reworked after its gate fails, one escalated and skipped.
    const repo = path.join(path.dirname(scenario), 'repo');
    fs.mkdirSync(path.join(repo, 'plans'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'plans', 'roadmap.md'), ROADMAP);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '-A'], { cwd: repo });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], { cwd: repo });
    const target = {
      name: 'repo',
      path: repo,
      roadmap: path.join(repo, 'plans', 'roadmap.md'),
      devLog: path.join(repo, 'plans', 'dev-log.md'),
      gates: [{ name: 'test', command: 'grep -q ok done.txt', timeoutSeconds: 30 }],
    };
    await baton.start(project, { config: { scenario, targets: [target] } });
    await baton.runStreams(project, 'all');
    const waiting = await until(baton, project, (s) => idle(s) && s.pendingDecisions.some((d) => d.kind === 'recovery'));
    await baton.decide(project, { decisionId: waiting.pendingDecisions.find((d) => d.kind === 'recovery')!.id, choice: 'skip' });
    await until(baton, project, (s) => idle(s) && s.tasks.every((t) => t.status === 'completed' || t.status === 'failed'));
  },
  events: async (baton, project, scenario) => {
    // Readers long-poll the event log (waitEvents) and query it while the publisher hands batches to a real nats-server.
    await baton.start(project, { config: { scenario }, objectives: ['Objective alpha'] });
    let after = 0;
    for (;;) {
      const page = await baton.update(project, waitEventsUpdate, { afterOrdinal: after, waitMs: 2000 });
      after = page.events.at(-1)?.ordinal ?? after;
      if (page.events.some((e) => e.type === 'agent.spawned') && (await baton.status(project)).objectives.length === 1) await baton.addObjective(project, 'Objective slow');
      if (page.events.some((e) => e.type === 'phase.entered' && e.phase === 'idle') && (await baton.status(project)).objectives.every((o) => o.status === 'completed')) break;
    }
    await baton.update(project, waitEventsUpdate, { afterOrdinal: after, waitMs: 500 });
  },
  signals: async (baton, project, scenario) => {
    // Signals as `temporal workflow signal` sends them: bad ones become rejected inputs, good ones apply.
    await baton.start(project, { config: { scenario } });
    await until(baton, project, idle);
    const handle = baton.client.workflow.getHandle(`baton/${project}`);
    await handle.signal(addObjectiveSignal, { descripton: 'a typo' });
    await handle.signal(addObjectiveSignal, { description: 'Objective alpha, sent as a signal' });
    await until(baton, project, (s) => idle(s) && s.objectives.length === 1 && s.objectives.every((o) => o.status === 'completed'));
    await handle.signal(stopSignal, { agentId: 'AGENT_0042' });
    await handle.signal(stopSignal);
    await until(baton, project, (s) => s.phase === 'paused' && s.rejectedInputs.length === 2);
  },
  consensus: async (baton, project, scenario) => {
    // Seed 002 pattern 4: one consensus agrees, one splits and an advisor breaks the tie, one escalates and a person picks an agent's answer.
    await baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Consensus questions'] });
    const waiting = await until(baton, project, (s) => idle(s) && s.pendingDecisions.some((d) => d.kind === 'consensus'));
    await baton.decide(project, { decisionId: waiting.pendingDecisions.find((d) => d.kind === 'consensus')!.id, choice: 'Vigil' });
    await until(baton, project, (s) => idle(s) && s.objectives.every((o) => o.status === 'completed'));
  },
  delegation: async (baton, project, scenario) => {
    // Seed 002 pattern 3: a lead's child with a lead of its own; a failure two levels down is answered at the root.
    await baton.start(project, { config: { scenario, recovery: { policy: 'escalate', freshAgents: 1 } }, objectives: ['Delegate the launch'] });
    const waiting = await until(baton, project, (s) => s.pendingDecisions.some((d) => d.route));
    await baton.decide(project, { decisionId: waiting.pendingDecisions.find((d) => d.route)!.id, choice: 'retry' });
    await until(baton, project, (s) => idle(s) && s.objectives.every((o) => o.status === 'completed'));
  },
  // The same tree recorded after children stopped sending their zero spend report at start (patch child-quiet-start).
  'delegation-quiet-start': (baton, project, scenario) => SCENARIOS.delegation!(baton, project, scenario),
  'delegation-ended-mirror': async (baton, project, scenario) => {
    // A child is terminated by hand while its escalation waits at the root: the mirror closes (patch ended-child-mirrors).
    await baton.start(project, { config: { scenario, recovery: { policy: 'escalate', freshAgents: 1 } }, objectives: ['Delegate the launch'] });
    const waiting = await until(baton, project, (s) => s.pendingDecisions.some((d) => d.route));
    const mirror = waiting.pendingDecisions.find((d) => d.route)!;
    await baton.client.workflow.getHandle(`baton/${project}/${mirror.route!.taskId}`).terminate('ended by hand for the replay history');
    const failed = await until(baton, project, (s) => s.pendingDecisions.length > 0 && !s.pendingDecisions.some((d) => d.route));
    await baton.decide(project, { decisionId: failed.pendingDecisions[0]!.id, choice: 'skip' });
    await until(baton, project, (s) => idle(s));
  },
  'delegation-budget': async (baton, project, scenario) => {
    // A grandchild spends the root's budget: one decision at the root holds the tree, a raise releases it.
    await baton.start(project, { config: { scenario, maxAgents: 3, budget: { maxTokens: 100 } }, objectives: ['Spend the tree'] });
    const waiting = await until(baton, project, (s) => s.pendingDecisions.some((d) => d.kind === 'budget'));
    await baton.decide(project, { decisionId: waiting.pendingDecisions.find((d) => d.kind === 'budget')!.id, choice: 'raise', budget: { maxTokens: 1000 } });
    await until(baton, project, (s) => idle(s) && s.objectives.every((o) => o.status === 'completed'));
  },
  'delegation-stop': async (baton, project, scenario) => {
    // An immediate stop of the root while a grandchild's agent works, then resume runs the tree again.
    await baton.start(project, { config: { scenario, maxAgents: 3 }, objectives: ['Halt the tree'] });
    await until(baton, project, (s) => (s.children?.[0]?.working ?? []).length > 0);
    await baton.stop(project, {});
    await until(baton, project, (s) => s.phase === 'paused');
    await baton.resume(project);
    await until(baton, project, (s) => idle(s) && s.objectives.every((o) => o.status === 'completed'));
  },
  'budget-decision': async (baton, project, scenario) => {
    await baton.start(project, { config: { scenario, budget: { maxTokens: 1000 } }, objectives: ['Something pricey'] });
    const waiting = await until(baton, project, (s) => idle(s) && s.pendingDecisions.length === 1);
    await baton.decide(project, { decisionId: waiting.pendingDecisions[0]!.id, choice: 'raise', budget: { maxTokens: 5000 } });
    await until(baton, project, (s) => idle(s) && s.tasks.every((t) => t.status === 'completed'));
  },
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalCli();
  const server = await startDevServer({ cli, port: await freePort(), headless: true, logLevel: 'error' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-replay-'));
  const scenario = path.join(dataDir, 'scenario.yaml');
  fs.writeFileSync(scenario, SCENARIO);
  // The events history publishes to a real nats-server, as a worker with NATS_URL does.
  const nats = await startNatsServer();
  process.env.NATS_URL = nats.url;
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const baton = new BatonClient(new Client({ connection }), connection, 'default');
  const workers = await createWorkers({ connection: native, namespace: 'default', config: { dataDir, queues: 'all', maxConcurrentAgents: 10 } });
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  try {
    fs.mkdirSync(OUT, { recursive: true });
    // `REPLAY_ONLY=a,b` records just those, keeping the other committed histories as older code wrote them.
    const only = process.env.REPLAY_ONLY?.split(',');
    for (const [name, drive] of Object.entries(SCENARIOS).filter(([n]) => !only || only.includes(n))) {
      await drive(baton, name, scenario);
      // The first run: for `continue-as-new` it is the one that handed over. The Temporal CLI writes the
      // standard JSON history format every SDK's replayer reads.
      const runs: { runId: string; status: string; start: number }[] = [];
      for await (const run of baton.client.workflow.list({ query: `WorkflowId = "baton/${name}"` })) {
        runs.push({ runId: run.runId, status: run.status.name, start: run.startTime.getTime() });
      }
      const first = [...runs].sort((a, b) => a.start - b.start)[0]!.runId;
      if (name === 'continue-as-new' && !runs.some((r) => r.status === 'CONTINUED_AS_NEW')) throw new Error('continue-as-new scenario never continued-as-new');
      const json = execFileSync(cli, ['workflow', 'show', '--address', server.address, '--workflow-id', `baton/${name}`, '--run-id', first, '--output', 'json']);
      fs.writeFileSync(path.join(OUT, `${name}.json`), json);
      process.stdout.write(`wrote ${name}.json (${JSON.parse(json.toString()).events.length} events)\n`);
      // The delegation tree's child and grandchild run the same workflow in child mode: their histories are kept too.
      for (const [suffix, child] of name.startsWith('delegation') ? [['child', 'TASK_001'], ['grandchild', 'TASK_001/TASK_001']] : []) {
        const tree = execFileSync(cli, ['workflow', 'show', '--address', server.address, '--workflow-id', `baton/${name}/${child}`, '--output', 'json']);
        fs.writeFileSync(path.join(OUT, `${name}-${suffix}.json`), tree);
      }
    }
  } finally {
    abort.abort();
    await running.catch(() => undefined);
    await native.close();
    await connection.close();
    await closeNatsConnections();
    await nats.stop();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
