import { connect } from 'nats';
import { followEvents } from '../../src/client/watch';
import { narrate, newNarration } from '../../src/client/watch-view';
import { closeNatsConnections } from '../../src/nats/bus';
import { startNatsServer } from '../../src/nats/server';
import type { BenchEnv } from '../env';
import { objectiveTexts, scenarioYaml, writeScenario } from '../scenario';
import { pairedRatios, summarize, type Summary } from '../stats';
import { benchProject, timeBaton } from './measure';

/** Sizes for the events benchmark: a demo-sized orchestration (the demo runs 10 tasks in 3 objectives). */
export interface EventsSizes {
  objectives: number;
  tasksPerObjective: number;
  delayMs: number;
  repeats: number;
}

/** The same orchestration with events published to a real nats-server and without a bus, and watch's delay. */
export interface EventsResult {
  tasks: number;
  /** Start to rest idle, with NATS_URL set (events published) and without. */
  withNatsMs: Summary;
  withoutNatsMs: Summary;
  /** Median with ÷ median without. */
  ratio: number;
  pairedRatio: Summary;
  /** Messages a plain NATS subscriber received per run, against the highest ordinal among them (equal: none lost). */
  natsMessagesPerRun: number;
  eventsPerRun: number;
  /** From an event's workflow time to its line from `baton watch`'s reader (long-poll + narration), in ms. */
  watchDelayMs: { p50: number; p99: number; max: number; n: number };
}

/** Benchmark: events on NATS against none, paired and alternated, plus watch's event-to-line delay. */
export async function benchEvents(env: BenchEnv, sizes: EventsSizes, maxAgents: number, log: (m: string) => void): Promise<EventsResult> {
  const tasks = sizes.objectives * sizes.tasksPerObjective;
  const scenario = writeScenario(env.dataDir, 'events', scenarioYaml({ tasks: sizes.tasksPerObjective, shape: 'independent', delayMs: sizes.delayMs }));
  const nats = await startNatsServer();
  const sub = await connect({ servers: nats.url });
  let received = 0;
  let maxOrdinal = 0;
  const counting = sub.subscribe('baton.>', {
    callback: (_err, m) => {
      received++;
      maxOrdinal = Math.max(maxOrdinal, (JSON.parse(new TextDecoder().decode(m.data)) as { ordinal: number }).ordinal);
    },
  });
  const before = process.env.NATS_URL;
  const delays: number[] = [];
  const eventsPerRun: number[] = [];
  const messagesPerRun: number[] = [];
  // The in-process worker's publishEvents reads NATS_URL on every call, as a worker reads its environment.
  const run = async (label: string, withNats: boolean, watch: boolean) => {
    if (withNats) process.env.NATS_URL = nats.url;
    else delete process.env.NATS_URL;
    const project = benchProject(`events-${withNats ? 'nats' : 'none'}`, label);
    received = 0;
    maxOrdinal = 0;
    const reader = watch ? readLive(env, project, delays) : undefined;
    const t = await timeBaton(env, { project, scenario, objectives: objectiveTexts(sizes.objectives), maxAgents, expectTasks: tasks, timeoutMs: 300_000 });
    await reader?.stop();
    if (withNats) {
      await sub.flush();
      messagesPerRun.push(received);
      eventsPerRun.push(maxOrdinal);
    }
    return t.sessionMs;
  };
  try {
    await run('warmup-a', true, false);
    await run('warmup-b', false, false);
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    for (let r = 0; r < sizes.repeats; r++) {
      // Alternate which goes first, so drift in machine load falls on both.
      const a = async () => void withMs.push(await run(String(r), true, false));
      const b = async () => void withoutMs.push(await run(String(r), false, false));
      if (r % 2 === 0) await a().then(b);
      else await b().then(a);
      log(`events ${r + 1}/${sizes.repeats}: with NATS ${withMs[r]?.toFixed(0)} ms, without ${withoutMs[r]?.toFixed(0)} ms`);
    }
    // Watch's delay on runs of their own, so the reader's updates never weigh on the comparison above.
    for (let r = 0; r < sizes.repeats; r++) await run(`watch-${r}`, false, true);
    const w = summarize(withMs);
    const wo = summarize(withoutMs);
    const sorted = [...delays].sort((x, y) => x - y);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    return {
      tasks,
      withNatsMs: w,
      withoutNatsMs: wo,
      ratio: w.median / wo.median,
      pairedRatio: summarize(pairedRatios(withMs, withoutMs)),
      natsMessagesPerRun: summarize(messagesPerRun.slice(-sizes.repeats)).median,
      eventsPerRun: summarize(eventsPerRun).median,
      watchDelayMs: { p50: pct(50), p99: pct(99), max: sorted.at(-1) ?? NaN, n: sorted.length },
    };
  } finally {
    if (before === undefined) delete process.env.NATS_URL;
    else process.env.NATS_URL = before;
    counting.unsubscribe();
    await sub.drain().catch(() => undefined);
    await closeNatsConnections();
    await nats.stop();
  }
}

/** Follow a project's events as `baton watch` does and record each event's delay to its narrated line. */
function readLive(env: BenchEnv, project: string, delays: number[]): { stop(): Promise<void> } {
  const abort = new AbortController();
  const done = (async () => {
    // The orchestration may not exist for a moment: wait for its first event.
    for (;;) {
      try {
        await env.baton.status(project);
        break;
      } catch {
        if (abort.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    let narration = newNarration();
    let attached: number | undefined;
    for await (const page of followEvents(env.baton, project, 0, { signal: abort.signal, idlePollMs: 100 })) {
      attached ??= Date.now();
      for (const e of page.events) {
        const told = narrate(narration, e);
        narration = told.narration;
        // Events recorded before the reader attached measure start-up, not watch: only live ones count.
        if (Date.parse(e.at) >= (attached ?? 0) && told.lines.length) delays.push(Date.now() - Date.parse(e.at));
      }
    }
  })().catch(() => undefined);
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}
