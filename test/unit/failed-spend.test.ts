import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { commandProblem, judgeTool, toolsFor, writeProblem } from '../../src/agents/claude-code/confinement';
import { advance, progressDetails, resultUsage, startProgress } from '../../src/agents/claude-code/progress';
import { formatSpend } from '../../src/client/status-text';
import { progressText } from '../../src/client/watch';
import type { Usage } from '../../src/shared/activity-types';
import { addFailedSpend, addSpend, failureUsage } from '../../src/shared/ledger';
import { NO_SPEND } from '../../src/shared/schemas';

const usage = (costUsd: number, tokens = 100): Usage => ({ model: 'claude-haiku-4-5', inputTokens: tokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, priced: true });

describe('spend of failed attempts', () => {
  it('counts in the totals and in the failed part, and later spend keeps the failed part', () => {
    const failed = addFailedSpend(NO_SPEND, usage(0.61, 3000));
    expect(failed).toEqual({ tokens: 3000, costUsd: 0.61, unpricedTokens: 0, failedTokens: 3000, failedUsd: 0.61 });
    const later = addSpend(failed, usage(0.1, 50));
    expect(later).toEqual({ tokens: 3050, costUsd: 0.71, unpricedTokens: 0, failedTokens: 3000, failedUsd: 0.61 });
    expect(formatSpend(later)).toBe('3,050 tokens · $0.7100 · $0.6100 spent on failed attempts');
    expect(formatSpend(addSpend(NO_SPEND, usage(0.1, 50)))).toBe('50 tokens · $0.1000');
  });

  it('reads the usage an activity failure carries, however deeply it is wrapped, and nothing else', () => {
    const inner = ApplicationFailure.create({ type: 'Agent.Crashed', message: 'boom', details: [{ usage: usage(0.61) }] });
    const outer = new ActivityFailure('activity failed', 'spawnAgent', '3', 0 as never, 'worker', inner);
    expect(failureUsage(outer)?.costUsd).toBe(0.61);
    expect(failureUsage(ApplicationFailure.create({ message: 'no usage' }))).toBeUndefined();
    expect(failureUsage(ApplicationFailure.create({ message: 'bad usage', details: [{ usage: { costUsd: 'lots' } }] }))).toBeUndefined();
    expect(failureUsage(undefined)).toBeUndefined();
  });
});

describe('claude-code progress and the CLI figures', () => {
  it('counts a reply once although Claude Code sends one message per content block, and names the last tool', () => {
    const reply = (blocks: unknown[]) => ({ type: 'assistant', session_id: 's-1', message: { id: 'msg_1', content: blocks, usage: { input_tokens: 1000, output_tokens: 100 } } });
    let p = advance(startProgress(), { type: 'system', subtype: 'init', session_id: 'abc-123' }, 'claude-haiku-4-5');
    p = advance(p, reply([{ type: 'text', text: 'hi' }]), 'claude-haiku-4-5');
    p = advance(p, reply([{ type: 'tool_use', name: 'Write', input: {} }]), 'claude-haiku-4-5');
    expect(progressDetails(p)).toMatchObject({ runtime: 'claude-code', session: 's-1', turn: 1, lastTool: 'Write', inputTokens: 1000, outputTokens: 100, costUsd: 0.0015 });
    expect(progressText(progressDetails(p), 2)).toBe('turn 1, last tool Write, 1100 tokens, $0.0015 so far (attempt 2)');
  });

  it("raises a reply's usage as it streams (message_start has 1 output token, message_delta the final count)", () => {
    const event = (e: unknown) => ({ type: 'stream_event', session_id: 's', event: e });
    let p = advance(startProgress(), event({ type: 'message_start', message: { id: 'msg_9', usage: { input_tokens: 1000, output_tokens: 1 } } }), 'claude-haiku-4-5');
    expect(p).toMatchObject({ turn: 1, outputTokens: 1 });
    p = advance(p, { type: 'assistant', message: { id: 'msg_9', content: [{ type: 'tool_use', name: 'Read' }], usage: { input_tokens: 1000, output_tokens: 1 } } }, 'claude-haiku-4-5');
    p = advance(p, event({ type: 'message_delta', usage: { output_tokens: 100 } }), 'claude-haiku-4-5');
    expect(p).toMatchObject({ turn: 1, inputTokens: 1000, outputTokens: 100, costUsd: 0.0015, lastTool: 'Read' });
    p = advance(p, event({ type: 'message_start', message: { id: 'msg_10', usage: { input_tokens: 10, output_tokens: 1 } } }), 'claude-haiku-4-5');
    expect(p).toMatchObject({ turn: 2, inputTokens: 1010, outputTokens: 101 });
  });

  it("takes the spend since the previous result (a resumed session's total includes earlier turns), else the total", () => {
    const since = { 'claude-haiku-4-5': { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 20, costUSD: 0.0125 } };
    expect(resultUsage({ total_cost_usd: 0.5, usage: { input_tokens: 10 }, model_usage_since_last_result: since }, 'm')).toMatchObject({ costUsd: 0.0125, inputTokens: 10, cacheWriteTokens: 20 });
    expect(resultUsage({ total_cost_usd: 0.5, usage: { input_tokens: 10, output_tokens: 2 } }, 'm')).toMatchObject({ costUsd: 0.5, inputTokens: 10, outputTokens: 2, priced: true });
    expect(resultUsage({}, 'm')).toBeUndefined();
  });
});

describe('claude-code confinement', () => {
  const workspace = mkdtempSync(path.join(tmpdir(), 'baton-confine-'));
  mkdirSync(path.join(workspace, 'src'));
  symlinkSync(tmpdir(), path.join(workspace, 'out-link'));
  const policy = { workspace, writes: true, commands: ['npm', 'git', 'mkdir'] };

  it('offers reading tools to readers, editing and a shell to builders with commands', () => {
    expect(toolsFor({ writes: false, commands: [] })).toEqual(['Read', 'Grep', 'Glob']);
    expect(toolsFor({ writes: true, commands: [] })).not.toContain('Bash');
    expect(toolsFor(policy)).toEqual(['Read', 'Grep', 'Glob', 'Write', 'Edit', 'NotebookEdit', 'Bash']);
  });

  it('allows writes inside the workspace only, through links too', async () => {
    expect(await writeProblem(workspace, 'src/a.ts')).toBeUndefined();
    expect(await writeProblem(workspace, path.join(workspace, 'new/dir/b.ts'))).toBeUndefined();
    expect(await writeProblem(workspace, '/etc/passwd')).toContain('outside the workspace');
    expect(await writeProblem(workspace, '../x')).toContain('outside the workspace');
    expect(await writeProblem(workspace, 'out-link/escape.txt')).toContain('outside the workspace');
    expect(await writeProblem(workspace, '')).toBe('no file path given');
  });

  it('lets Bash run one allowed program with plain arguments inside the workspace', () => {
    expect(commandProblem(policy, 'npm test')).toBeUndefined();
    expect(commandProblem(policy, 'git status --short')).toBeUndefined();
    expect(commandProblem(policy, 'npm test && rm -rf /')).toContain('no pipes');
    expect(commandProblem(policy, 'echo $(cat /etc/passwd)')).toContain('no pipes');
    expect(commandProblem(policy, 'rm -rf build')).toContain('"rm" is not allowed');
    expect(commandProblem(policy, 'mkdir /tmp/elsewhere')).toContain('outside the workspace');
    expect(commandProblem(policy, 'mkdir ../up')).toContain('".."');
  });

  it('denies what a role may not use', async () => {
    const reader = { workspace, writes: false, commands: [] };
    expect(await judgeTool(reader, 'Read', { file_path: '/etc/hosts' })).toEqual({ allow: true });
    expect(await judgeTool(reader, 'Write', { file_path: 'a.txt' })).toMatchObject({ allow: false, reason: expect.stringContaining('only reads') });
    expect(await judgeTool(reader, 'Bash', { command: 'ls' })).toMatchObject({ allow: false });
    expect(await judgeTool(policy, 'WebFetch', { url: 'http://x' })).toMatchObject({ allow: false, reason: expect.stringContaining('not available in Baton') });
    expect(await judgeTool(policy, 'Edit', { file_path: 'src/a.ts' })).toEqual({ allow: true });
  });
});
