import * as fs from 'node:fs/promises';
import path from 'node:path';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { projectDir } from '../agents/workspace';
import type { PersistContextInput } from '../shared/activity-types';
import { toContext } from '../shared/context';
import { applyStateDelta, digest, type StateDelta } from '../shared/context-delta';
import { Failure } from '../shared/failures';
import type { OrchestrationState } from '../shared/schemas';
import { writeFileAtomic } from '../node/files';
import type { ActivityKit } from '.';

/** Where and how much `persistContext` wrote; `stale` when a delta did not fit the file (nothing written: send the state). */
export interface PersistContextResult {
  path: string;
  bytes: number;
  stale?: boolean;
}

/** `value` as indented JSON, or undefined when it has none (undefined, a function, a cycle, a BigInt). */
function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, null, 2) as string | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state in the context file with `delta` applied; `written` when the file already holds its result (a retried
 * attempt finding its own write); undefined when the file is missing, unreadable or holds another state.
 */
async function stateFromDelta(file: string, delta: StateDelta): Promise<OrchestrationState | 'written' | undefined> {
  let base: unknown;
  try {
    base = (JSON.parse(await fs.readFile(file, 'utf8')) as { baton?: unknown }).baton;
  } catch {
    return undefined;
  }
  if (typeof base !== 'object' || base === null) return undefined;
  const held = digest(base);
  if (held === delta.next) return 'written';
  if (held !== delta.base) return undefined;
  const next = applyStateDelta(base as Record<string, unknown>, delta);
  // The result must be the workflow's state exactly; anything else is written from the full state instead.
  return digest(next) === delta.next ? (next as unknown as OrchestrationState) : undefined;
}

/** `persistContext`: saves the seed-002 context document to `<dataDir>/<project>/context.json`, from the state or from a delta. */
export function makePersistContext(kit: ActivityKit) {
  return async function persistContext(input: PersistContextInput): Promise<PersistContextResult> {
    try {
      const dir = projectDir(kit.dataDir, input.project);
      const file = path.join(dir, 'context.json');
      let state = input.state;
      if (input.delta) {
        const applied = await stateFromDelta(file, input.delta);
        if (applied === 'written') return { path: file, bytes: (await fs.stat(file)).size };
        if (!applied) return { path: file, bytes: 0, stale: true };
        state = applied;
      }
      const json = toJson(state ? toContext(state) : input.context);
      if (json === undefined) throw new AgentRuntimeError(Failure.ContextInvalid, `context for ${input.project} cannot be written as JSON`, false);
      const content = json + '\n';
      await writeFileAtomic(file, content);
      return { path: file, bytes: Buffer.byteLength(content) };
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
