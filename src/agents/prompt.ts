import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ContentBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { MemoryView, OpenStream, PlanObjectiveInput, SpawnAgentInput, SynthesizeInput } from '../shared/activity-types';

const CACHED = { type: 'ephemeral' } as const;

/** The system prompt as one cached block: the role prompt is identical for every agent of a role, so it caches across them. */
export function systemBlocks(rolePrompt: string): TextBlockParam[] {
  return [{ type: 'text', text: rolePrompt, cache_control: CACHED }];
}

const section = (title: string, lines: readonly string[]) => (lines.length ? [`## ${title}`, ...lines.map((l) => `- ${l}`), ''] : []);

/** An agent's memory as compact markdown sections; empty when it remembers nothing. */
function renderMemory(memory: MemoryView | undefined): string {
  if (!memory) return '';
  const lines = [
    ...section('Your recent work', memory.history),
    ...section('Insights you recorded', memory.insights),
    ...section('Context notes', memory.notes),
    ...section('Colleagues', memory.relationships.map((r) => `${r.agent}: ${r.note}`)),
    ...section('Your preferences', memory.preferences),
    ...section('Your reflections', memory.reflections),
  ];
  return lines.length ? ['# Your memory', '', ...lines].join('\n').trim() : '';
}

/** Most of a target's identity file that goes into a prompt; the rest is cut (identity files should be short). */
export const IDENTITY_MAX_BYTES = 8 * 1024;

/** A file given to an agent, read at call time (it may change between tasks) and cut at IDENTITY_MAX_BYTES; a note when it cannot be read. */
async function readForPrompt(file: string, what: string): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(IDENTITY_MAX_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      // A cut through a multi-byte character decodes to U+FFFD; drop it rather than show it.
      const text = buffer.subarray(0, Math.min(bytesRead, IDENTITY_MAX_BYTES)).toString('utf8').replace(/\uFFFD+$/, '').trim();
      if (bytesRead > IDENTITY_MAX_BYTES) return `${text}\n\n[${what} cut at ${IDENTITY_MAX_BYTES / 1024} KB]`;
      return text || `(the ${what} ${file} is empty)`;
    } finally {
      await handle.close();
    }
  } catch (err) {
    return `(the ${what} ${file} could not be read: ${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}

/**
 * What targets.yaml gives an agent, read at call time: the identity context (first, unheaded), then the
 * target's conventions and the prompt file for the agent's role (`coder_agent` / `pm_agent`) under their own headings.
 */
export async function readIdentity(target: SpawnAgentInput['target']): Promise<string | undefined> {
  if (!target) return undefined;
  const parts: string[] = [];
  if (target.identity) parts.push(await readForPrompt(path.resolve(target.path, target.identity), 'identity file'));
  if (target.conventions) parts.push(`# Conventions of ${target.name}\n\n${await readForPrompt(target.conventions, 'conventions file')}`);
  if (target.rolePrompt) {
    const text = await readForPrompt(target.rolePrompt.file, `${target.rolePrompt.from} file`);
    parts.push(`# Your instructions on ${target.name} (its ${target.rolePrompt.from} prompt)\n\n${text}`);
  }
  return parts.length ? parts.join('\n\n') : undefined;
}

/** The shared, cacheable prefix of an agent's first message: the target's identity context, orchestration insights, then the agent's memory. */
export function contextPrefix(input: Pick<SpawnAgentInput, 'sharedContext' | 'memory' | 'target'>, identity?: string): string {
  const heading = input.target?.identity ? `# Identity context of ${input.target.name}\n\n` : '';
  const who = input.target && identity ? `${heading}${identity}` : '';
  const shared = input.sharedContext?.length ? ['# Shared project context', '', ...input.sharedContext.map((s) => `- ${s}`)].join('\n') : '';
  return [who, shared, renderMemory(input.memory)].filter(Boolean).join('\n\n');
}

/** The rework section: the verification failures of the previous round, which the agent must fix. */
function reworkSection(rework: SpawnAgentInput['rework']): string[] {
  if (!rework) return [];
  // Round 0 is a fresh agent taking over after another one failed (the retry recovery policy).
  if (rework.round === 0) {
    return [
      '## A previous attempt failed',
      '',
      'Another agent worked on this task and failed. Avoid what went wrong:',
      ...rework.failures.map((f) => `- ${f.trim().replace(/\n/g, '\n  ')}`),
      '',
    ];
  }
  return [
    `## Rework round ${rework.round}: verification failed`,
    '',
    'Your previous work on this task did not pass verification. Fix exactly these failures, keep what already works, then report again:',
    ...rework.failures.map((f) => `- ${f.trim().replace(/\n/g, '\n  ')}`),
    '',
  ];
}

/** The mission part of an agent's first message: who it is, the task, its criteria, its inputs, and `closing` (how to finish). */
export function missionText(input: SpawnAgentInput, closing: string): string {
  const lines = [
    `You are ${input.agent.name} (${input.agent.id}), the ${input.agent.role} on project "${input.project}".`,
    '',
    `# Task ${input.task.id} (${input.task.key})`,
    '',
    input.task.mission,
    '',
  ];
  if (input.objective) lines.push(`Objective ${input.objective.id}: ${input.objective.description}`, '');
  if (input.target) {
    const t = input.target;
    const follow = [t.identity ? 'its identity context' : '', t.conventions ? 'its conventions' : '', t.rolePrompt ? `its ${t.rolePrompt.from} instructions` : ''].filter(Boolean);
    const about = t.description ? ` ${t.description.replace(/\.?$/, '.')}` : '';
    lines.push(`Target: ${t.name}.${about} You work in its repository; the workspace is its root.${follow.length ? ` Follow ${follow.join(', ')} above.` : ''}`, '');
  }
  lines.push(...section('Success criteria', input.task.successCriteria));
  lines.push(...reworkSection(input.rework));
  if (input.inputs.length) {
    lines.push('## Inputs from the tasks this one depends on', '');
    for (const dep of input.inputs) {
      lines.push(`- ${dep.taskId} (${dep.role}): ${dep.summary}`);
      if (dep.artifacts.length) lines.push(`  files: ${dep.artifacts.join(', ')}`);
    }
    lines.push('');
  }
  lines.push(closing);
  return lines.join('\n');
}

/** An agent's first user message: the cached context prefix (when there is one, with `identity` read by readIdentity), then the mission. */
export function agentFirstMessage(input: SpawnAgentInput, limits: { maxTurns: number }, identity?: string): ContentBlockParam[] {
  const prefix = contextPrefix(input, identity);
  const closing = `Work in the workspace with your tools (paths relative to its root). You have at most ${limits.maxTurns} turns; finish by calling submit_report.`;
  const mission: ContentBlockParam = { type: 'text', text: missionText(input, closing) };
  return prefix ? [{ type: 'text', text: prefix, cache_control: CACHED }, mission] : [mission];
}

/** The planner's first user message: the objective and what is already done and known. */
export function plannerFirstMessage(input: PlanObjectiveInput): ContentBlockParam[] {
  return [{ type: 'text', text: `${planningRequest(input)}\nCall submit_plan with the task graph.` }];
}

/** The task key a planner gives the task working stream `ref` (`site:1.2` → `site-1-2`). */
export function streamTaskKey(ref: string): string {
  const key = ref.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 41).replace(/-+$/, '');
  return key || 'stream';
}

/** Longest stretch of a stream's roadmap text the planner sees. */
const STREAM_TEXT_CHARS = 500;

/** The open work streams and how to interpret the goal against them (seed 003's interpret_goal); empty without streams. */
function openStreamsSection(streams: readonly OpenStream[] | undefined): string[] {
  if (!streams?.length) return [];
  const lines = [
    '## Open work streams',
    '',
    'Interpret the objective against these roadmap streams: what kind of goal it is (run-stream, run-all, feature, fix, research, other) and which streams it asks for.',
    'For each matching stream add exactly one task with "stream" set to its ref and the task key shown; make dependsOn follow the dependencies between the streams you pick.',
    'Tasks without a stream are fine for work no stream covers. Submit "interpretation": { goalType, recommendation } with the tasks.',
    '',
  ];
  for (const s of streams) {
    const facts = [`status: ${s.status}`, s.effort ? `effort: ${s.effort}` : '', s.dependsOn.length ? `depends on: ${s.dependsOn.join(', ')}` : '', s.role ? `suggested role: ${s.role}` : ''];
    const text = s.text.length > STREAM_TEXT_CHARS ? `${s.text.slice(0, STREAM_TEXT_CHARS - 1)}…` : s.text;
    lines.push(`### ${s.ref}: ${s.title} (task key: ${streamTaskKey(s.ref)})`, facts.filter(Boolean).join('; '), ...(text.trim() ? ['', text.trim()] : []), '');
  }
  return lines;
}

/** The planning request as plain text: the objective, what is already done and known, and the open streams to pick from. */
export function planningRequest(input: PlanObjectiveInput): string {
  return [
    `Project "${input.project}". Plan objective ${input.objective.id}:`,
    '',
    input.objective.description,
    '',
    ...section('Already completed', input.context.completedTasks),
    ...section('Known insights', input.context.insights),
    ...openStreamsSection(input.openStreams),
  ].join('\n');
}

/** The synthesis request as plain text: the session's objectives and every finished output, as JSON. */
export function synthesisRequest(input: SynthesizeInput): string {
  const body = JSON.stringify({ session: input.session, objectives: input.objectives, outputs: input.outputs }, null, 1);
  return `Project "${input.project}", session ${input.session}. Synthesise these outputs:\n\n${body}`;
}

/** The synthesizer's first user message: the session's objectives and every finished output, as JSON. */
export function synthesizerFirstMessage(input: SynthesizeInput): ContentBlockParam[] {
  return [{ type: 'text', text: `${synthesisRequest(input)}\n\nCall submit_synthesis.` }];
}
