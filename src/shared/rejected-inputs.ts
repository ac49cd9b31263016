import { AddObjectiveInput, type OrchestrationState, type RejectedInput, StopInput } from './schemas';
import * as S from './state';
import { describeIssues } from './zod-errors';

/** Rejected inputs kept in state: the most recent ones, so a flood of bad signals cannot grow history. */
export const MAX_REJECTED_INPUTS = 20;
/** Characters of a rejected input's payload kept for a person to see what was sent. */
const MAX_SHOWN = 300;

/** `input` as a short JSON string a person can read in status. */
export function showInput(input: unknown): string {
  let text: string;
  try {
    text = input === undefined ? '(no input)' : (JSON.stringify(input) ?? String(input));
  } catch {
    text = String(input);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `state` with one more rejected input, oldest dropped past the bound. */
export function recordRejected(state: OrchestrationState, entry: { name: string; reason: string; input: unknown }, now: string): OrchestrationState {
  const rejected: RejectedInput = { kind: 'signal', name: entry.name, reason: entry.reason, input: showInput(entry.input), received: now };
  return { ...state, rejectedInputs: [...(state.rejectedInputs ?? []), rejected].slice(-MAX_REJECTED_INPUTS) };
}

/** The outcome of one signal: the next state, agents to cancel, and whether it was rejected. */
export interface SignalOutcome {
  state: OrchestrationState;
  cancel: string[];
  rejected?: string;
}

/** The first argument of a signal; more than one is a mistake worth naming. */
function onlyArg(args: unknown[]): { input: unknown; problem?: string } {
  if (args.length > 1) return { input: args, problem: `input: expected one JSON object, got ${args.length} arguments` };
  return { input: args[0] };
}

/** Apply an `addObjective` signal (same input as the update), or record why it cannot be. */
export function addObjectiveSignal(state: OrchestrationState, args: unknown[], now: string): SignalOutcome {
  const { input, problem } = onlyArg(args);
  const parsed = AddObjectiveInput.safeParse(input);
  const why = problem ?? (parsed.success ? undefined : describeIssues(parsed.error));
  if (why || !parsed.success) return reject(state, 'addObjective', input, why ?? 'invalid', now);
  return { state: S.addObjective(state, parsed.data, now).state, cancel: [] };
}

/** Apply a `stop` signal (same input as the update; no input at all means an immediate stop), or record why it cannot be. */
export function stopSignal(state: OrchestrationState, args: unknown[], now: string): SignalOutcome {
  const { input, problem } = onlyArg(args);
  // The UI's "Send a Signal" with an empty input field sends nothing (or null): a plain stop.
  const parsed = StopInput.safeParse(input === undefined || input === null ? {} : input);
  const why = problem ?? (parsed.success ? S.stopProblem(state, parsed.data.agentId) : describeIssues(parsed.error));
  if (why || !parsed.success) return reject(state, 'stop', input, why ?? 'invalid', now);
  const r = S.requestStop(state, parsed.data, now);
  return { state: r.state, cancel: r.cancel };
}

function reject(state: OrchestrationState, name: string, input: unknown, reason: string, now: string): SignalOutcome {
  return { state: recordRejected(state, { name, reason, input }, now), cancel: [], rejected: reason };
}
