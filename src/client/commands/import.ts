import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { fromContext } from '../../shared/context';
import { OrchestrationConfig, type OrchestrationState } from '../../shared/schemas';
import { BatonError } from '../baton-client';
import { addConfigOptions, fullConfigFromOptions } from '../options';
import { print, type Run } from './orchestration';

/** A context file's JSON, or an error naming the file and what is wrong with it. */
export function readContextFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new BatonError(`cannot read context file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BatonError(`context file ${file} is not JSON: ${(err as Error).message}`);
  }
}

/** The state a context file becomes for `project` (a new session is due at once), or an error naming the field. */
export function importContext(file: string, project: string, config: Partial<OrchestrationConfig> = {}): OrchestrationState {
  const imported = fromContext(readContextFile(file), project, OrchestrationConfig.parse(config), new Date().toISOString());
  if (!imported.ok) throw new BatonError(`invalid context file ${file}: ${imported.error}`);
  return { ...imported.state, resumeRequested: true };
}

const ids = (items: { id: string }[]): string => {
  if (!items.length) return '';
  const shown = items.slice(0, 6).map((i) => i.id);
  return ` (${shown.join(', ')}${items.length > shown.length ? `, … ${items.at(-1)?.id}` : ''})`;
};

/** What importing `state` brings, in lines a person checks before starting anything. */
export function describeImport(state: OrchestrationState, file: string): string {
  const h = state.imported;
  const shape = h ? (h.from === 'atlas' ? 'the Atlas tool\'s context.json' : "seed 002's context shape") : 'a Baton context export (restored exactly)';
  const count = (status: string) => state.tasks.filter((t) => t.status === status);
  const m = state.metrics;
  const lines = [
    `${file}: ${shape}`,
    `  objectives: ${state.objectives.length}${ids(state.objectives)} — ${state.objectives.map((o) => o.status).join(', ') || 'none'}`,
    `  tasks: ${count('completed').length} completed${ids(count('completed'))}, ${count('pending').length} open${ids(count('pending'))}, ${count('failed').length} failed`,
    `  decisions pending: ${state.decisions.filter((d) => d.status === 'pending').length}${ids(state.decisions.filter((d) => d.status === 'pending'))}`,
    `  insights: ${state.insights.length}${summariseCategories(state)}`,
  ];
  if (h) {
    lines.push(`  agents: ${h.agents.length}${ids(h.agents)}${h.agents.length ? ` — ${[...new Set(h.agents.map((a) => a.type))].join(', ')}` : ''}`);
    if (h.phases.length || h.phase) lines.push(`  phases: ${h.phases.map((p) => p.phase).join(' → ') || 'none completed'}${h.phase ? `; now ${h.phase}` : ''}`);
  }
  lines.push(
    `  totals carried on: ${m.total_sessions} sessions, ${m.total_agents_spawned} agents spawned, ${m.total_tasks_completed} tasks completed, ${m.total_tasks_failed} failed, ${m.total_decisions_made} decisions`,
    `  new ids continue at OBJ_${pad(state.counters.objective + 1)}, TASK_${pad(state.counters.task + 1)}, AGENT_${pad(state.counters.agent + 1, 4)}, DEC_${pad(state.counters.decision + 1)}`,
  );
  return lines.join('\n');
}

const pad = (n: number, width = 3): string => String(n).padStart(width, '0');

function summariseCategories(state: OrchestrationState): string {
  const byCategory = new Map<string, number>();
  for (const i of state.insights) if (i.category) byCategory.set(i.category, (byCategory.get(i.category) ?? 0) + 1);
  return byCategory.size ? ` (${[...byCategory].map(([c, n]) => `${n} ${c}`).join(', ')})` : '';
}

/** `baton import FILE` (start a new orchestration from it) and `baton import --check FILE` (no server: show what would be imported). */
export function registerImportCommand(program: Command, run: Run): void {
  addConfigOptions(
    program
      .command('import')
      .description("import a context file (seed 002's shape, the Atlas tool's context.json, or a Baton export) into a new orchestration")
      .argument('<file>', 'context JSON file')
      .option('--check', 'only read and check the file, print what would be imported; needs no server'),
  ).action((file: string, _o, cmd: Command) =>
    run(cmd, async (session, opts) => {
      const resolved = path.resolve(file);
      const project = opts.check ? (session.opts.project ?? 'check') : session.project();
      const state = importContext(resolved, project, opts.check ? {} : await fullConfigFromOptions(opts));
      if (opts.check) {
        print(opts.json ? { file: resolved, shape: state.imported?.from ?? 'baton', state } : describeImport(state, resolved));
        return;
      }
      const started = await (await session.baton()).start(project, { state });
      session.rememberProject(project);
      print(opts.json ? { ...started, importedFrom: resolved } : `${describeImport(state, resolved)}\nImported into ${started.workflowId}\n${session.uiLink(started.workflowId)}`);
    }),
  );
}
