import path from 'node:path';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { projectDir } from '../agents/workspace';
import type { PersistContextInput } from '../shared/activity-types';
import { toContext } from '../shared/context';
import { Failure } from '../shared/failures';
import { writeFileAtomic } from './files';
import type { ActivityKit } from './index';

/** Where and how much `persistContext` wrote. */
export interface PersistContextResult {
  path: string;
  bytes: number;
}

/** `value` as indented JSON, or undefined when it has none (undefined, a function, a cycle, a BigInt). */
function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, null, 2) as string | undefined;
  } catch {
    return undefined;
  }
}

/** `persistContext`: saves the seed-002 context document to `<dataDir>/<project>/context.json`. */
export function makePersistContext(kit: ActivityKit) {
  return async function persistContext(input: PersistContextInput): Promise<PersistContextResult> {
    try {
      const dir = projectDir(kit.dataDir, input.project);
      const json = toJson(input.state ? toContext(input.state) : input.context);
      if (json === undefined) throw new AgentRuntimeError(Failure.ContextInvalid, `context for ${input.project} cannot be written as JSON`, false);
      const file = path.join(dir, 'context.json');
      const content = json + '\n';
      await writeFileAtomic(file, content);
      return { path: file, bytes: Buffer.byteLength(content) };
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
