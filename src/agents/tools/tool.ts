import { CancelledFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { spillLongText } from '../../artifacts/spill';
import { describeIssues } from '../../shared/zod-errors';
import { AgentRuntimeError } from '../runtime';

/** Bounds on what tools read, run and return. */
export interface ToolLimits {
  /** Longest tool result handed back to the model; longer results go whole to the artifact store. */
  maxResultChars: number;
  /** Largest file read_file and search_files open. */
  maxFileBytes: number;
  maxSearchMatches: number;
  maxListEntries: number;
  /** Default and ceiling of run_command's timeout. */
  commandTimeoutMs: number;
  maxCommandTimeoutMs: number;
  /** Bytes of stdout and of stderr kept per command. */
  maxCommandOutputBytes: number;
}

/** Limits for agents that do not say otherwise. */
export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxResultChars: 20_000,
  maxFileBytes: 1_000_000,
  maxSearchMatches: 100,
  maxListEntries: 500,
  commandTimeoutMs: 60_000,
  maxCommandTimeoutMs: 600_000,
  maxCommandOutputBytes: 1_000_000,
};

/** What a tool may touch: one workspace, the commands of one role, and the run's cancellation. */
export interface ToolContext {
  project: string;
  workspace: string;
  artifacts: ArtifactStore;
  /** Command names run_command accepts (argv[0], no paths). */
  commands: readonly string[];
  limits: ToolLimits;
  signal: AbortSignal;
  /** Workspace-relative paths this run wrote, in order; the report's artifacts come from here too. */
  written: string[];
}

/** A tool the model may call: a zod input schema and a function from valid input to the text it sees. */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: S;
  run(input: z.infer<S>, ctx: ToolContext): Promise<string>;
}

/** Builds a tool with its input type inferred from its schema. */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool {
  return tool as unknown as AgentTool;
}

/** A refusal or failure the model should read and react to (it becomes a tool_result with is_error). */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** What a tool call produced, as the model will see it. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
}

/** A tool in the Messages API's `tools` shape, its input schema generated from zod. */
export interface ApiTool {
  name: string;
  description: string;
  input_schema: { type: 'object'; [key: string]: unknown };
}

/** `schema` as the JSON Schema object the Messages API expects for `input_schema`. */
function jsonSchemaOf(schema: z.ZodType): ApiTool['input_schema'] {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return { ...json, type: 'object' };
}

/** `tool` as the Messages API declares it. */
export function toApiTool(tool: Pick<AgentTool, 'name' | 'description' | 'input'>): ApiTool {
  return { name: tool.name, description: tool.description, input_schema: jsonSchemaOf(tool.input) };
}

const isAbort = (err: unknown) => err instanceof CancelledFailure || (err instanceof Error && err.name === 'AbortError');

/** Runs the call `name(input)`: unknown tools, invalid input and refusals come back as errors for the model, never as throws. */
export async function runTool(tools: readonly AgentTool[], name: string, input: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) return { isError: true, content: `unknown tool "${name}"; available: ${tools.map((t) => t.name).join(', ')}` };
  const parsed = tool.input.safeParse(input);
  if (!parsed.success) return { isError: true, content: `invalid input for ${name}: ${describeIssues(parsed.error, 5)}` };
  let outcome: ToolOutcome;
  try {
    outcome = { isError: false, content: await tool.run(parsed.data, ctx) };
  } catch (err) {
    if (isAbort(err) || ctx.signal.aborted) throw err;
    if (err instanceof ToolError || err instanceof AgentRuntimeError) outcome = { isError: true, content: err.message };
    else outcome = { isError: true, content: `${name} failed: ${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message ?? String(err)}`.trim() };
  }
  const spilled = await spillLongText(ctx.artifacts, outcome.content, ctx.limits.maxResultChars, { kind: 'tool-output', project: ctx.project });
  return { ...outcome, content: spilled.text };
}
