import { mkdir } from 'node:fs/promises';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { AgentReport, type SpawnAgentInput } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import { boundReport } from './bound-report';
import type { ActivityKit } from './index';

/** `spawnAgent`: runs one agent on one task in the project workspace and returns its validated report, sized for history. */
export function makeSpawnAgent(kit: ActivityKit) {
  return async function spawnAgent(input: SpawnAgentInput): Promise<AgentReport> {
    try {
      const runtime = kit.runtimeFor(input.runtime);
      const ctx = kit.runContext(input.project);
      await mkdir(ctx.workspace, { recursive: true });
      const raw = await runtime.runAgent(input, ctx);
      const report = AgentReport.safeParse(raw && typeof raw.summary === 'string' ? await boundReport(raw, ctx.artifacts, input.project) : raw);
      if (!report.success) {
        throw new AgentRuntimeError(
          Failure.AgentFailed,
          `${runtime.name} runtime returned an invalid report for ${input.task.key}: ${describeIssues(report.error)}`,
          false,
        );
      }
      return report.data;
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
