import { agentReport, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import { renderReport, buildReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import type { ContextDocument } from '../../src/shared/context';
import { applyChildSpend, asChild, childStarted, leadReport, recordLeadReport, spendReport } from '../../src/shared/delegation';
import { childrenLines, delegationTree, treeMermaid, treeText } from '../../src/shared/delegation-view';
import { recordAgentReport } from '../../src/shared/agent-results';
import { NO_SPEND, type OrchestrationState } from '../../src/shared/schemas';
import { statusView } from '../../src/shared/status';

const ROOT = 'baton/demo';

/** A root whose lead task TASK_001 runs a child with two specialists, one of them working now. */
function running(): { root: OrchestrationState; child: OrchestrationState } {
  let root = planObjective(freshState(), [plannedTask('lead', { role: 'researcher', mission: 'Lead the "market" research', lead: {} }), plannedTask('after', { dependsOn: ['lead'] })]);
  root = childStarted(spawnChosen(root, 'TASK_001'), 'TASK_001', `${ROOT}/TASK_001`, minute(1));
  let child = planObjective(asChild(freshState(), { parent: { workflowId: ROOT, taskId: 'TASK_001', depth: 1 }, roster: {} }), [
    plannedTask('pricing', { role: 'researcher', mission: 'Research pricing' }),
    plannedTask('users', { role: 'analyst', mission: 'Interview users' }),
  ]);
  child = spawnChosen(spawnChosen(child, 'TASK_001'), 'TASK_002');
  child = recordAgentReport(child, 'TASK_001', taskOf(child, 'TASK_001').agentId!, agentReport('priced'), minute(2));
  root = applyChildSpend(root, { taskId: 'TASK_001', ...spendReport(child), spent: { ...NO_SPEND, tokens: 42 } }, minute(2));
  return { root, child };
}

test('status shows each child, its spend and the agents working in it now', () => {
  const { root, child } = running();
  const view = statusView(root);
  const analyst = child.agents.find((a) => a.role === 'analyst')!.name;
  expect(view.children).toEqual([expect.objectContaining({ taskId: 'TASK_001', workflowId: `${ROOT}/TASK_001`, status: 'running', agents: 2, running: 1, working: [`${analyst} (analyst) on TASK_002`] })]);
  const text = renderStatus(view);
  expect(text).toContain('Children (lead tasks run as child orchestrations):');
  expect(text).toContain(`TASK_001  running   ${view.children![0]!.lead} leads ${ROOT}/TASK_001 · 2 agents, 1 running · 42 tokens`);
  expect(text).toContain(`      ${analyst} (analyst) on TASK_002`);
  expect(childrenLines(undefined)).toEqual([]);
  expect(statusView(freshState()).children).toBeUndefined();
});

test('the report shows the delegation tree as text and as a mermaid diagram', () => {
  const { root, child } = running();
  const finished = recordAgentReport(child, 'TASK_002', taskOf(child, 'TASK_002').agentId!, agentReport('heard them'), minute(3));
  const done = recordLeadReport(root, 'TASK_001', taskOf(root, 'TASK_001').agentId!, leadReport(finished), minute(4));
  const tree = treeText(delegationTree(done));
  expect(tree[0]).toBe('baton/demo (orchestrator)');
  expect(tree[1]).toMatch(/^├── TASK_001 researcher \w+ — completed · lead of baton\/demo\/TASK_001 \(2 agents, 42 tokens/);
  expect(tree[2]).toMatch(/^│   ├── TASK_001 researcher \w+ — completed: Research pricing$/);
  expect(tree[3]).toMatch(/^│   └── TASK_002 analyst \w+ — completed: Interview users$/);
  expect(tree[4]).toMatch(/^└── TASK_002 developer — pending: do after$/);
  const mermaid = treeMermaid(delegationTree(done));
  expect(mermaid[0]).toBe('graph TD');
  expect(mermaid).toContain('  root --> n1');
  expect(mermaid).toContain('  n1 --> n2');
  expect(mermaid.join('\n')).not.toMatch(/"[^"\n]*"[^\]\n]*"\]/);

  const context = { baton: done } as unknown as ContextDocument;
  const report = renderReport(buildReport(statusView(done), context, minute(5)));
  expect(report).toContain('### Delegation Tree');
  expect(report).toContain('```mermaid\ngraph TD');
  expect(renderReport(buildReport(statusView(freshState()), { baton: freshState() } as unknown as ContextDocument, minute(5)))).not.toContain('Delegation Tree');
});
