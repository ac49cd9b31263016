import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createActivities } from '../../../src/activities';
import { createClaudeCodeRuntime, type ClaudeCodeRuntimeOptions } from '../../../src/agents/claude-code/claude-code-runtime';
import { fileSessionMap } from '../../../src/agents/claude-code/sessions';
import type { SpawnAgentInput } from '../../../src/shared/activity-types';
import type { Role } from '../../../src/shared/schemas';
import { agentInput, TEST_API_KEY } from './harness';
import { startFakeAnthropic, type FakeAnthropic, type FakeScenario } from './server';

/** Activities whose `claude-code` runtime drives the real Claude Code binary against a fresh fake Messages API. */
export interface ClaudeCodeHarness {
  fake: FakeAnthropic;
  dataDir: string;
  workspace: string;
  /** CLAUDE_CONFIG_DIR of the runs: Claude Code's session files and Baton's session map live here. */
  configDir: string;
  options: ClaudeCodeRuntimeOptions;
  acts: ReturnType<typeof createActivities>;
}

/** The worker environment the CLI would inherit, without any real Anthropic settings. */
function cleanEnv(configDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CLAUDE_CONFIG_DIR: configDir };
  for (const name of Object.keys(env)) if (name.startsWith('ANTHROPIC_')) delete env[name];
  return env;
}

/** Starts a fake server for `scenario` and activities whose claude-code runtime talks to it (test key, small heartbeat interval). */
export async function claudeCodeHarness(scenario: FakeScenario, options: ClaudeCodeRuntimeOptions = {}): Promise<ClaudeCodeHarness> {
  const fake = await startFakeAnthropic(scenario, { apiKey: TEST_API_KEY });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-claude-code-'));
  const workspace = path.join(dataDir, 'demo', 'workspace');
  const configDir = path.join(dataDir, 'claude-config');
  mkdirSync(workspace, { recursive: true });
  const full: ClaudeCodeRuntimeOptions = {
    apiKey: TEST_API_KEY,
    baseURL: fake.url,
    env: cleanEnv(configDir),
    heartbeatEveryMs: 50,
    sessions: fileSessionMap(path.join(configDir, 'baton-sessions')),
    ...options,
  };
  return { fake, dataDir, workspace, configDir, options: full, acts: createActivities({ dataDir, runtimes: { 'claude-code': createClaudeCodeRuntime(full) } }) };
}

/** A spawnAgent input on the claude-code runtime (haiku: cheap, and the SDK warns about no deprecation for it). */
export function claudeAgentInput(key: string, role: Role, extra: Partial<SpawnAgentInput> = {}): SpawnAgentInput {
  return agentInput(key, role, { runtime: 'claude-code', ...extra });
}

/** Pids of running Claude Code processes (the package's binary) that descend from this process. */
export function claudeProcesses(): number[] {
  const parent = new Map<number, number>();
  const claude: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parent.set(pid, Number(fields[1]));
      const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (cmd.includes('claude-agent-sdk-linux-x64/claude')) claude.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid: number) => {
    for (let p = pid, i = 0; p > 1 && i < 64; p = parent.get(p) ?? 0, i++) if (p === process.pid) return true;
    return false;
  };
  return claude.filter(descends);
}
