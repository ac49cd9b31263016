import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, TextBlockParam, ToolResultBlockParam, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import type { BudgetView, Usage } from '../../shared/activity-types';
import { budgetProblem } from '../budget';
import type { AgentRunContext } from '../runtime';
import { runTool, toApiTool, type AgentTool, type ToolContext } from '../tools/tool';
import { addApiUsage, emptyUsage } from '../usage';
import { traceModelCall } from '../../telemetry/model-span';
import { callModel, cancellation, toolUses, type ModelReply } from './call';
import type { ErrorMappingContext } from './errors';
import type { FinalTool } from './final-tools';

/** Everything one tool-use loop needs: the conversation start, the tools, the final tool and the limits. */
export interface LoopSpec<T> {
  client: Anthropic;
  model: string;
  system: TextBlockParam[];
  firstMessage: ContentBlockParam[];
  /** Workspace tools (none for the planner and synthesizer). */
  tools: readonly AgentTool[];
  toolContext?: ToolContext;
  final: FinalTool<T>;
  /** Make every turn call the final tool (one-shot structured output). */
  forceFinal: boolean;
  maxTurns: number;
  maxTokens: number;
  stream: boolean;
  budget?: BudgetView;
  heartbeatEveryMs: number;
  errors: ErrorMappingContext;
  run: AgentRunContext;
}

/** How a loop ended. */
export type LoopOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'budget'; problem: string }
  | { kind: 'turn_limit' }
  | { kind: 'invalid'; problem: string; failure: string };

/** A finished loop: its outcome, what it cost, and the conversation for the transcript. */
export interface LoopResult<T> {
  outcome: LoopOutcome<T>;
  usage: Usage;
  turns: number;
  messages: MessageParam[];
}

/** The assistant's content as it is sent back: text and tool calls trimmed to their request fields, anything else as it came. */
function echo(reply: ModelReply): ContentBlockParam[] {
  return reply.content.map((block) => {
    if (block.type === 'text') return { type: 'text', text: String(block.text) };
    if (block.type === 'tool_use') return { type: 'tool_use', id: String(block.id), name: String(block.name), input: block.input ?? {} };
    return block as unknown as ContentBlockParam;
  });
}

const result = (id: string, content: string, isError = false): ToolResultBlockParam => ({
  type: 'tool_result',
  tool_use_id: id,
  content,
  ...(isError ? { is_error: true } : {}),
});

/** Runs model turns until the final tool is called with valid input, the budget is spent, the turns run out, or the output stays invalid after one repair. */
export async function runLoop<T>(spec: LoopSpec<T>): Promise<LoopResult<T>> {
  const messages: MessageParam[] = [{ role: 'user', content: spec.firstMessage }];
  const tools: ToolUnion[] = [...spec.tools.map(toApiTool), toApiTool(spec.final)] as ToolUnion[];
  let usage = emptyUsage(spec.model);
  let repairs = 0;
  const done = (outcome: LoopOutcome<T>, turns: number): LoopResult<T> => ({ outcome, usage, turns, messages });

  for (let turn = 1; turn <= spec.maxTurns; turn++) {
    const spent = budgetProblem(spec.budget, usage);
    if (spent) return done({ kind: 'budget', problem: spent }, turn - 1);
    const progress = () => ({ turn, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    spec.run.heartbeat(progress());
    const reply = await traceModelCall({ runtime: 'anthropic', model: spec.model, turn }, () => callModel({
      client: spec.client,
      params: {
        model: spec.model,
        max_tokens: spec.maxTokens,
        system: spec.system,
        messages,
        tools,
        tool_choice: spec.forceFinal ? { type: 'tool', name: spec.final.name } : { type: 'auto' },
      },
      stream: spec.stream,
      signal: spec.run.cancellationSignal,
      heartbeat: () => spec.run.heartbeat(progress()),
      heartbeatEveryMs: spec.heartbeatEveryMs,
      errors: spec.errors,
    }), (r) => addApiUsage(emptyUsage(spec.model), r.usage));
    usage = addApiUsage(usage, reply.usage);
    spec.run.heartbeat(progress());
    messages.push({ role: 'assistant', content: echo(reply) });

    const calls = toolUses(reply);
    if (calls.length === 0) {
      const cut = reply.stop_reason === 'max_tokens' ? 'Your reply was cut off at max_tokens. ' : '';
      messages.push({ role: 'user', content: [{ type: 'text', text: `${cut}Continue with your tools, or call ${spec.final.name} to finish.` }] });
      continue;
    }
    const results: ToolResultBlockParam[] = [];
    let accepted: { value: T } | undefined;
    for (const [i, call] of calls.entries()) {
      if (reply.stop_reason === 'max_tokens' && i === calls.length - 1) {
        results.push(result(call.id, 'This call was cut off at max_tokens and was not run. Split the work into smaller calls.', true));
      } else if (call.name === spec.final.name) {
        const checked = spec.final.check(call.input);
        if (checked.ok) {
          accepted = { value: checked.value };
          results.push(result(call.id, 'received'));
        } else if (++repairs > 1) {
          messages.push({ role: 'user', content: [...results, result(call.id, checked.problem, true)] });
          return done({ kind: 'invalid', problem: checked.problem, failure: checked.failure }, turn);
        } else {
          results.push(result(call.id, `${checked.problem}. Fix it and call ${spec.final.name} again with the whole corrected input.`, true));
        }
      } else if (!spec.toolContext) {
        results.push(result(call.id, `unknown tool "${call.name}"; call ${spec.final.name}`, true));
      } else {
        // A long run_command (a test suite) must not look like a hung activity.
        const beat = setInterval(() => spec.run.heartbeat(progress()), spec.heartbeatEveryMs);
        const outcome = await runTool(spec.tools, call.name, call.input, spec.toolContext)
          .catch((err: unknown) => {
            throw spec.run.cancellationSignal.aborted ? cancellation(spec.run.cancellationSignal) : err;
          })
          .finally(() => clearInterval(beat));
        results.push(result(call.id, outcome.content, outcome.isError));
      }
    }
    messages.push({ role: 'user', content: results });
    if (accepted) return done({ kind: 'done', value: accepted.value }, turn);
  }
  return done({ kind: 'turn_limit' }, spec.maxTurns);
}
