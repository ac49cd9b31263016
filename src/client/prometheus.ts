import * as http from 'node:http';
import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../shared/messages';
import { statusQuery } from '../shared/messages';
import { runtimeFor } from '../shared/roles';
import type { Role } from '../shared/schemas';
import type { StatusView } from '../shared/status';

/** One sample: a metric, its labels and value. */
interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Baton's metrics: name, help and type, then how each is read from one orchestration's status. */
const METRICS: { name: string; help: string; type: 'gauge' | 'counter'; read: (s: StatusView) => Sample[] }[] = [
  { name: 'baton_agents_running', help: 'Agents running now.', type: 'gauge', read: (s) => [{ labels: {}, value: s.runningAgents.length }] },
  {
    name: 'baton_tasks',
    help: 'Tasks in state, by state (pending, ready, blocked, running, verifying, completed, failed, stopped).',
    type: 'gauge',
    read: (s) => ['pending', 'ready', 'blocked', 'running', 'verifying', 'completed', 'failed', 'stopped'].map((state) => ({ labels: { state }, value: s.tasks.filter((t) => t.status === state).length })),
  },
  { name: 'baton_tokens_total', help: 'Tokens spent by named agents, by role and the model configured for it.', type: 'counter', read: (s) => byRole(s, (x) => x.tokens) },
  { name: 'baton_cost_usd_total', help: 'USD spent by named agents, by role and the model configured for it.', type: 'counter', read: (s) => byRole(s, (x) => x.costUsd) },
  { name: 'baton_orchestration_tokens_total', help: 'Tokens spent in all, planners and synthesizers included.', type: 'counter', read: (s) => [{ labels: {}, value: s.spent.tokens }] },
  { name: 'baton_orchestration_cost_usd_total', help: 'USD spent in all, planners and synthesizers included.', type: 'counter', read: (s) => [{ labels: {}, value: s.spent.costUsd }] },
  { name: 'baton_verifications_total', help: 'Verifications of finished work.', type: 'counter', read: (s) => [{ labels: {}, value: s.metrics.total_verifications ?? 0 }] },
  {
    name: 'baton_verification_pass_rate',
    help: 'Share of verifications that passed (not sent back for rework).',
    type: 'gauge',
    read: (s) => (s.metrics.total_verifications ? [{ labels: {}, value: 1 - (s.metrics.total_reworks ?? 0) / s.metrics.total_verifications }] : []),
  },
  { name: 'baton_decisions_pending', help: 'Decisions waiting for a person.', type: 'gauge', read: (s) => [{ labels: {}, value: s.pendingDecisions.length }] },
  { name: 'baton_sessions_total', help: 'Sessions run.', type: 'counter', read: (s) => [{ labels: {}, value: s.metrics.total_sessions }] },
  ...successGauges(),
];

function byRole(s: StatusView, pick: (spent: StatusView['spent']) => number): Sample[] {
  const sums = new Map<string, number>();
  for (const a of s.team) sums.set(a.role, (sums.get(a.role) ?? 0) + pick(a.spent));
  return [...sums].map(([role, value]) => ({ labels: { role, model: runtimeFor(s.config, role as Role).model ?? 'default' }, value }));
}

function successGauges() {
  const gauge = (name: string, help: string, read: (m: StatusView['successMetrics']) => number | null | undefined) => ({
    name: `baton_success_${name}`,
    help: `Seed 002: ${help}`,
    type: 'gauge' as const,
    read: (s: StatusView): Sample[] => {
      const v = s.successMetrics ? read(s.successMetrics) : undefined;
      return v === null || v === undefined ? [] : [{ labels: {}, value: v }];
    },
  });
  return [
    gauge('agents_per_task', 'agents spawned per task that had one (target 1-3).', (m) => m.agentsPerTask),
    gauge('parallel_execution_rate', 'share of agent time spent alongside another agent (target > 0.6).', (m) => m.parallelExecutionRate),
    gauge('task_success_rate', 'tasks completed per task finished (target > 0.95).', (m) => m.taskSuccessRate),
    gauge('rework_rate', 'rounds sent back per verification (target < 0.1).', (m) => m.reworkRate),
    gauge('decision_time_seconds', 'mean time from a decision raised for a person to its answer (target < 300).', (m) => (m.decisionTime.meanMs === null ? null : m.decisionTime.meanMs / 1000)),
    gauge('context_continuity', 'sessions begun from the previous session context (target 1).', (m) => m.contextContinuity),
  ];
}

/** Baton's metrics for these orchestrations in Prometheus' text format, each sample labelled with its project. */
export function renderBatonMetrics(statuses: StatusView[]): string {
  const out: string[] = [];
  for (const m of METRICS) {
    out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of statuses) {
      for (const sample of m.read(s)) out.push(`${m.name}${labelText({ project: s.project, ...sample.labels })} ${formatValue(sample.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function labelText(labels: Record<string, string>): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

function formatValue(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : 'NaN';
}

/** Orchestrations read per scrape, at most, and how long one reading is reused. */
const MAX_ORCHESTRATIONS = 100;
const CACHE_MS = 5000;

/** Read the status of every running orchestration (via visibility), for a scrape. */
export function statusCollector(client: Client): () => Promise<StatusView[]> {
  let cached: { at: number; value: Promise<StatusView[]> } | undefined;
  const read = async (): Promise<StatusView[]> => {
    const projects: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = 'orchestration' AND ExecutionStatus = 'Running'` })) {
      if (w.workflowId.startsWith('baton/') && !w.workflowId.slice(6).includes('/')) projects.push(w.workflowId.slice(6));
      if (projects.length >= MAX_ORCHESTRATIONS) break;
    }
    const statuses = await Promise.all(projects.map((p) => client.workflow.getHandle(workflowIdFor(p)).query(statusQuery).catch(() => undefined)));
    return statuses.filter((s): s is StatusView => s !== undefined);
  };
  return () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), value: read() };
    return cached.value;
  };
}

/** Serve `/metrics` on loopback: Baton's own metrics, then the Temporal runtime's (fetched from its exporter) when given. */
export async function startMetricsServer(opts: { port: number; host?: string; baton: () => Promise<StatusView[]>; runtimeUrl?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('Baton serves /metrics\n');
      return;
    }
    void (async () => {
      const parts: string[] = [];
      try {
        parts.push(renderBatonMetrics(await opts.baton()));
      } catch (err) {
        parts.push(`# Baton metrics unavailable: ${(err as Error).message.replace(/\n/g, ' ')}\n`);
      }
      if (opts.runtimeUrl) {
        try {
          parts.push(await (await fetch(opts.runtimeUrl)).text());
        } catch (err) {
          parts.push(`# Temporal runtime metrics unavailable: ${(err as Error).message}\n`);
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(parts.join(''));
    })();
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  return { url: `http://${host}:${opts.port}/metrics`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
