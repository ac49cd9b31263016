import type { ChildRecord, TeamMember } from './delegation-schemas';
import type { OrchestrationState, Spend } from './schemas';

/** One lead task's child orchestration as `status` shows it. */
export interface ChildView extends Omit<ChildRecord, 'team'> {
  taskId: string;
  mission: string;
  /** The lead agent's name. */
  lead?: string;
}

/** The children of this orchestration's lead tasks, in task order, for `status`. */
export function childrenView(state: OrchestrationState): ChildView[] {
  const children = state.delegation?.children ?? {};
  const names = new Map(state.agents.map((a) => [a.id, a.name]));
  return state.tasks.flatMap((t) => {
    const c = children[t.id];
    if (!c) return [];
    const { team: _team, ...record } = c;
    return [{ taskId: t.id, mission: t.mission.slice(0, 160), ...(t.agentId && names.get(t.agentId) ? { lead: names.get(t.agentId) } : {}), ...record }];
  });
}

const spendText = (s: Spend) => `${s.tokens} tokens, $${s.costUsd.toFixed(4)}`;

/** `status` lines for the children: each child, then the agents working in it (and below it) now. */
export function childrenLines(children: ChildView[] | undefined): string[] {
  if (!children?.length) return [];
  const lines = ['', 'Children (lead tasks run as child orchestrations):'];
  for (const c of children) {
    lines.push(`  ${c.taskId}  ${c.status.padEnd(9)} ${c.lead ?? '?'} leads ${c.workflowId} · ${c.agents} agents, ${c.running} running · ${spendText(c.spent)}`);
    for (const w of c.working ?? []) lines.push(`      ${w}`);
  }
  return lines;
}

/** One node of the delegation tree: a task, its agent, and the team under it when it was a lead. */
interface Node {
  label: string;
  children: Node[];
}

const memberNode = (m: TeamMember): Node => ({
  label: `${m.taskId} ${m.role}${m.agent ? ` ${m.agent}` : ''} — ${m.status}${m.child ? ` · lead of ${m.child.workflowId} (${m.child.agents} agents, ${spendText(m.child.spent)})` : ''}: ${m.mission}`,
  children: m.child ? teamNodes(m.child) : [],
});

function teamNodes(c: ChildRecord): Node[] {
  if (c.team) return c.team.map(memberNode);
  return (c.working ?? []).map((w) => ({ label: `working now: ${w}`, children: [] }));
}

/** The tree below an orchestration: its tasks, and under each lead task the team of its child (recursively). */
export function delegationTree(state: OrchestrationState): Node {
  const children = state.delegation?.children ?? {};
  const names = new Map(state.agents.map((a) => [a.id, a.name]));
  const members: TeamMember[] = state.tasks.map((t) => ({
    taskId: t.id,
    role: t.role,
    mission: t.mission.slice(0, 160),
    status: t.status,
    ...(t.agentId && names.get(t.agentId) ? { agent: names.get(t.agentId) } : {}),
    ...(children[t.id] ? { child: children[t.id] } : {}),
  }));
  return { label: `baton/${state.project} (orchestrator)`, children: members.map(memberNode) };
}

/** Whether the orchestration delegated anything (the report shows a tree only then). */
export function hasDelegated(state: OrchestrationState): boolean {
  return Object.keys(state.delegation?.children ?? {}).length > 0;
}

/** The tree as indented text (`├──`, `└──`), one line per node. */
export function treeText(root: Node): string[] {
  const lines = [root.label];
  const walk = (nodes: Node[], prefix: string) =>
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${n.label}`);
      walk(n.children, `${prefix}${last ? '    ' : '│   '}`);
    });
  walk(root.children, '');
  return lines;
}

/** The tree as a mermaid `graph TD`, labels quoted and clipped so any mission renders. */
export function treeMermaid(root: Node): string[] {
  const lines = ['graph TD'];
  const label = (text: string) => `"${text.replace(/"/g, "'").replace(/[\r\n]+/g, ' ').slice(0, 80)}"`;
  let n = 0;
  const walk = (node: Node, id: string) => {
    lines.push(`  ${id}[${label(node.label.split(':')[0] ?? node.label)}]`);
    for (const child of node.children) {
      const childId = `n${++n}`;
      walk(child, childId);
      lines.push(`  ${id} --> ${childId}`);
    }
  };
  walk(root, 'root');
  return lines;
}
