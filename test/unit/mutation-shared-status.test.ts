import type { Insight, OrchestrationState, Task } from '../../src/shared/schemas';
import { currentDetails, statusView } from '../../src/shared/status';
import { minute } from '../support/reducers';
import { agentItem, stateWith, taskItem } from '../support/state-items';

// What `status` and the Temporal UI's current details show for exact states (src/shared/status.ts).
// Every state is built inside its test.

const viewOf = (s: OrchestrationState, id: string) => {
  const found = statusView(s).tasks.find((t) => t.id === id);
  if (!found) throw new Error(`test: no ${id} in the status view`);
  return found;
};
const verdict: NonNullable<Task['verification']> = { passed: false, gates: [{ name: 'test', passed: false }], falseClaims: [], review: 'r', artifacts: [] };

describe('status: tasks', () => {
  it('a running task under verification shows as verifying', () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', verifying: true, attempts: 1 })] });
    expect(viewOf(s, 'TASK_001').status).toBe('verifying');
  });

  it('a task that failed while being verified shows as failed, not verifying', () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { status: 'failed', verifying: true, error: 'gate test failed' })] });
    expect(viewOf(s, 'TASK_001').status).toBe('failed');
  });

  it('shows a task’s target, stream, rework round and last verdict', () => {
    const s = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', target: 'site', stream: 'site:1.2', rework: 2, verification: verdict })] });
    expect(viewOf(s, 'TASK_001')).toMatchObject({ target: 'site', stream: 'site:1.2', rework: 2, verification: verdict });
  });

  it('shows the worktree of a failed task for a person to inspect, but not of a running or completed one', () => {
    const landing = (worktree: string) => ({ conflicts: 0, worktree });
    const s = stateWith({
      tasks: [
        taskItem('TASK_001', { status: 'failed', landing: landing('/wt/one') }),
        taskItem('TASK_002', { status: 'running', landing: landing('/wt/two') }),
        taskItem('TASK_003', { status: 'completed', landing: landing('/wt/three') }),
      ],
    });
    expect(viewOf(s, 'TASK_001').worktree).toBe('/wt/one');
    expect('worktree' in viewOf(s, 'TASK_002')).toBe(false);
    expect('worktree' in viewOf(s, 'TASK_003')).toBe(false);
  });

  it('shows a consensus task’s agents, quorum and members', () => {
    const s = stateWith({
      tasks: [taskItem('TASK_001', { role: 'reviewer', status: 'running', consensus: { agents: 3 }, started: minute(0) })],
      agents: [agentItem('AGENT_0001', { role: 'reviewer', spawned: minute(1) })],
    });
    expect(viewOf(s, 'TASK_001').consensus).toMatchObject({ agents: 3, members: [{ id: 'AGENT_0001', name: 'Ada', role: 'reviewer', status: 'running' }] });
  });
});

describe('status: the whole orchestration', () => {
  it('shows the last roadmap health check', () => {
    const roadmap = { checked: minute(2), targets: [], open: [] };
    expect(statusView(stateWith({ roadmap })).roadmap).toEqual(roadmap);
  });

  it('shows only the latest ten insights, keeping their category', () => {
    const insights: Insight[] = Array.from({ length: 12 }, (_, i) => ({ text: `lesson ${i + 1}`, source: 'person', recorded: minute(i), ...(i === 11 ? { category: 'process' } : {}) }));
    const shown = statusView(stateWith({ insights })).insights;
    expect(shown.map((i) => i.text)).toEqual(Array.from({ length: 10 }, (_, i) => `lesson ${i + 3}`));
    expect(shown[9]).toEqual({ text: 'lesson 12', source: 'person', category: 'process' });
  });
});

describe('current details', () => {
  it('list at most ten running agents', () => {
    const agents = Array.from({ length: 12 }, (_, i) => agentItem(`AGENT_${String(i + 1).padStart(4, '0')}`, { name: `Agent${i + 1}`, taskId: `TASK_${i + 1}` }));
    const rows = currentDetails(stateWith({ agents })).split('\n').filter((l) => l.startsWith('| Agent'));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('| Agent1 (AGENT_0001) | developer | TASK_1 |');
    expect(rows[9]).toBe('| Agent10 (AGENT_0010) | developer | TASK_10 |');
  });
});
