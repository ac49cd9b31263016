import { mkdir } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { projectDir } from '../agents/workspace';
import { ensureWorktree } from '../git/worktree';
import { AgentRuntimeError, toApplicationFailure, type AgentRunContext } from '../agents/runtime';
import { AgentReport, type SpawnAgentInput } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import { carrying, clearNote, spendNote, withAttemptSpend } from './attempt-spend';
import { boundReport } from './bound-report';
import { folderProblem } from '../node/files';
import type { ActivityKit } from '.';

/** The directory a target's agent works in: the target's own repository, which must already exist (Baton never creates it). */
async function targetWorkspace(target: NonNullable<SpawnAgentInput['target']>): Promise<string> {
  if (target.worktree) {
    const problem = await folderProblem(target.worktree.repo);
    if (problem) throw new AgentRuntimeError(Failure.InputInvalid, `target ${target.name}: repository ${target.worktree.repo} ${problem}`, false);
    // The task's own worktree, made from the integration head now (or found again on a retry).
    await ensureWorktree({ ...target.worktree, path: target.path });
    return target.path;
  }
  const problem = await folderProblem(target.path);
  if (problem) throw new AgentRuntimeError(Failure.InputInvalid, `target ${target.name}: workspace ${target.path} ${problem}`, false);
  return target.path;
}

/** `spawnAgent`: runs one agent on one task in its target's repository (else the project workspace) and returns its validated report, sized for history. */
export function makeSpawnAgent(kit: ActivityKit) {
  return async function spawnAgent(input: SpawnAgentInput): Promise<AgentReport> {
    let projectCtx: Awaited<ReturnType<typeof carrying>> | undefined;
    try {
      const runtime = kit.runtimeFor(input.runtime);
      // Every attempt's spend counts: earlier failed attempts' usage rides along in heartbeats and reaches the workflow.
      const info = Context.current().info;
      projectCtx = await carrying(kit.runContext(input.project), spendNote(projectDir(kit.dataDir, input.project), info.workflowExecution?.workflowId ?? 'none', info.activityId));
      const ctx: AgentRunContext = input.target ? { ...projectCtx, workspace: await targetWorkspace(input.target) } : projectCtx;
      if (!input.target) await mkdir(ctx.workspace, { recursive: true });
      const raw = await runtime.runAgent(input, ctx);
      const report = AgentReport.safeParse(raw && typeof raw.summary === 'string' ? await boundReport(raw, ctx.artifacts, input.project) : raw);
      if (!report.success) {
        throw new AgentRuntimeError(
          Failure.AgentFailed,
          `${runtime.name} runtime returned an invalid report for ${input.task.key}: ${describeIssues(report.error)}`,
          false,
        );
      }
      await clearNote(projectCtx.note);
      return projectCtx.earlier ? { ...report.data, failedUsage: projectCtx.earlier } : report.data;
    } catch (err) {
      throw toApplicationFailure(await withAttemptSpend(err, projectCtx));
    }
  };
}
