import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ContextDocument } from './context';
import type { AddObjectiveInput, CompleteTaskInput, DecideInput, Decision, Objective, RecordInsightInput, ResumeInput, StopInput } from './schemas';
import type { StatusView } from './status';

/** Add an objective; returns it with its id. */
export const addObjectiveUpdate = defineUpdate<Objective, [AddObjectiveInput]>('addObjective');
/** Complete a task by hand with an outcome (a running agent on it is stopped). */
export const completeTaskUpdate = defineUpdate<{ taskId: string; stoppedAgents: string[] }, [CompleteTaskInput]>('completeTask');
/** Record an insight fed into later prompts. */
export const recordInsightUpdate = defineUpdate<{ insights: number }, [RecordInsightInput]>('recordInsight');
/** Stop everything (immediately or gracefully) or one agent. */
export const stopUpdate = defineUpdate<{ stoppedAgents: string[]; graceful: boolean }, [StopInput]>('stop');
/** Answer a pending decision (a budget one: `raise` with a new budget, or `stop`). */
export const decideUpdate = defineUpdate<Decision, [DecideInput]>('decide');
/** Resume after a stop, or start a new session; answers with the session that will run next. */
export const resumeUpdate = defineUpdate<{ session: number }, [ResumeInput]>('resume');

/**
 * Signals for people and tools that fire and forget (`temporal workflow signal`, the UI's "Send a Signal").
 * Same inputs as the updates; a signal cannot be refused, so a bad one is recorded as a rejected input.
 * Typed `unknown[]`: whatever was sent reaches the pure reducer, which names what is wrong.
 */
export const addObjectiveSignal = defineSignal<unknown[]>('addObjective');
/** Stop signal: `{}` (or no input) stops at once, `{"graceful":true}` lets agents finish, `{"agentId":"AGENT_0001"}` stops one. */
export const stopSignal = defineSignal<unknown[]>('stop');

/** Phase, objectives, tasks, running agents, pending decisions, metrics. */
export const statusQuery = defineQuery<StatusView>('status');
/** The seed-002 context document. */
export const contextQuery = defineQuery<ContextDocument>('context');

/** Task queue for workflows and light activities. */
export const WORKFLOW_TASK_QUEUE = 'baton';
/** Task queue for agent activities, so agent capacity scales apart from workflow workers. */
export const AGENT_TASK_QUEUE = 'baton-agents';

/** Workflow id of a project's orchestration. */
export function workflowIdFor(project: string): string {
  return `baton/${project}`;
}
