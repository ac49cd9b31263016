import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Where Baton remembers which Claude Code session worked which task, so a rework round continues it. */
export interface SessionMap {
  get(key: string): Promise<string | undefined>;
  set(key: string, session: string): Promise<void>;
}

/** Default folder of the session map: beside Claude Code's own session files, which live on this machine too. */
export function defaultSessionsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.CLAUDE_CONFIG_DIR || path.join(homedir(), '.claude'), 'baton-sessions');
}

/** The key of an agent's session on a task: project, agent id and task id (file-name safe). */
export function sessionKey(project: string, agentId: string, taskId: string): string {
  return [project, agentId, taskId].map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_')).join('--');
}

const SessionId = z.string().regex(/^[0-9a-f-]{8,64}$/i);

/** The session id a previous attempt heartbeated (`{ runtime: 'claude-code', session }`), or undefined. */
export function sessionFromDetails(details: unknown): string | undefined {
  const d = details as { runtime?: unknown; session?: unknown } | undefined;
  if (d?.runtime !== 'claude-code') return undefined;
  const parsed = SessionId.safeParse(d.session);
  return parsed.success ? parsed.data : undefined;
}

/** A session map of one small file per key in `dir`. */
export function fileSessionMap(dir: string): SessionMap {
  const file = (key: string) => path.join(dir, `${key}.json`);
  return {
    async get(key) {
      const text = await readFile(file(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const parsed = SessionId.safeParse((JSON.parse(text) as { session?: unknown }).session);
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, session) {
      await mkdir(dir, { recursive: true });
      await writeFile(file(key), JSON.stringify({ session, at: new Date().toISOString() }));
    },
  };
}
