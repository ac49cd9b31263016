import type { ContentBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { MemoryView, PlanObjectiveInput, SpawnAgentInput, SynthesizeInput } from '../shared/activity-types';

const CACHED = { type: 'ephemeral' } as const;

/** The system prompt as one cached block: the role prompt is identical for every agent of a role, so it caches across them. */
export function systemBlocks(rolePrompt: string): TextBlockParam[] {
  return [{ type: 'text', text: rolePrompt, cache_control: CACHED }];
}

const section = (title: string, lines: readonly string[]) => (lines.length ? [`## ${title}`, ...lines.map((l) => `- ${l}`), ''] : []);

/** An agent's memory as compact markdown sections; empty when it remembers nothing. */
export function renderMemory(memory: MemoryView | undefined): string {
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

/** The shared, cacheable prefix of an agent's first message: orchestration insights, then the agent's memory. */
export function contextPrefix(input: Pick<SpawnAgentInput, 'sharedContext' | 'memory'>): string {
  const shared = input.sharedContext?.length ? ['# Shared project context', '', ...input.sharedContext.map((s) => `- ${s}`)].join('\n') : '';
  return [shared, renderMemory(input.memory)].filter(Boolean).join('\n\n');
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
  lines.push(...section('Success criteria', input.task.successCriteria));
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

/** An agent's first user message: the cached context prefix (when there is one), then the mission. */
export function agentFirstMessage(input: SpawnAgentInput, limits: { maxTurns: number }): ContentBlockParam[] {
  const prefix = contextPrefix(input);
  const closing = `Work in the workspace with your tools (paths relative to its root). You have at most ${limits.maxTurns} turns; finish by calling submit_report.`;
  const mission: ContentBlockParam = { type: 'text', text: missionText(input, closing) };
  return prefix ? [{ type: 'text', text: prefix, cache_control: CACHED }, mission] : [mission];
}

/** The planner's first user message: the objective and what is already done and known. */
export function plannerFirstMessage(input: PlanObjectiveInput): ContentBlockParam[] {
  return [{ type: 'text', text: `${planningRequest(input)}\nCall submit_plan with the task graph.` }];
}

/** The planning request as plain text: the objective and what is already done and known. */
export function planningRequest(input: PlanObjectiveInput): string {
  return [
    `Project "${input.project}". Plan objective ${input.objective.id}:`,
    '',
    input.objective.description,
    '',
    ...section('Already completed', input.context.completedTasks),
    ...section('Known insights', input.context.insights),
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
