import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

const FIXTURES = path.join(__dirname, '../fixtures/context');
// No server anywhere near this address: `import --check` must not need one.
const NO_SERVER = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe('baton import --check (no server)', () => {
  it("prints what the Atlas tool's context.json would bring, and exits 0", async () => {
    const r = await runCli(['import', '--check', path.join(FIXTURES, 'atlas-context.json')], NO_SERVER);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("the Atlas tool's context.json");
    expect(r.stdout).toContain('objectives: 3 (OBJ_001, OBJ_002, OBJ_003) — active, pending, completed');
    expect(r.stdout).toContain('tasks: 2 completed (TASK_001, TASK_002), 3 open (TASK_003, TASK_004, TASK_005)');
    expect(r.stdout).toContain('insights: 5 (1 technical, 1 critical, 1 process, 1 general, 1 reference)');
    expect(r.stdout).toContain('agents: 4 (AGENT_0001, AGENT_0002, AGENT_0003, AGENT_0004) — Researcher, Product Strategist, Developer, QA Specialist');
    expect(r.stdout).toContain('phases: initialization → research → story_creation; now development');
  });

  it("keeps seed 002's ids and totals: TASK_025 stays, new ids continue after the highest", async () => {
    const r = await runCli(['import', '--check', path.join(FIXTURES, 'seed-002-example.json'), '--json'], NO_SERVER);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { shape: string; state: { tasks: { id: string }[]; metrics: Record<string, number>; counters: Record<string, number> } };
    expect(out.shape).toBe('seed-002');
    expect(out.state.tasks.map((t) => t.id)).toEqual(['TASK_001', 'TASK_025']);
    expect(out.state.metrics).toMatchObject({ total_sessions: 12, total_agents_spawned: 47, total_tasks_completed: 23, total_decisions_made: 15 });
    expect(out.state.counters).toMatchObject({ task: 25, agent: 47, decision: 15 });
  });

  it.each([
    ['a typo in a field', '{"project_id":"P1","objectives":[{"id":"OBJ001","txt":"Build it","text":"Build it"}]}', /objectives\.0\.txt: unknown field/],
    ['a file that is not JSON', '{"objectives": [', /is not JSON/],
    ['a file with nothing in it', '{}', /nothing to import/],
  ])('exits 1 naming the problem: %s', async (_what, text, expected) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-import-')), 'context.json');
    fs.writeFileSync(file, text);
    const r = await runCli(['import', '--check', file], NO_SERVER);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(expected);
  });
});
