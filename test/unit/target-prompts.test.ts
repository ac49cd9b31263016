import * as path from 'node:path';
import { contextPrefix, missionText, readIdentity } from '../../src/agents/prompt';
import { loadTargetsFile } from '../../src/client/targets-file';
import { agentInput } from '../../src/shared/activity-inputs';
import type { Role } from '../../src/shared/schemas';
import type { Target } from '../../src/shared/targets';
import { startTask } from '../../src/shared/state';
import { freshState, planStreams, plannedTask, target } from '../support/reducers';

const ORCH = path.join(__dirname, '../fixtures/targets/seed-003/orchestrator');
let targets: Target[];
beforeAll(async () => {
  targets = await loadTargetsFile(path.join(ORCH, 'config/targets.yaml'));
});

/** The prompt an agent of `role` gets for a task on `stream` (or a free task), built as the runtimes build it. */
async function promptFor(role: Role, stream?: string): Promise<{ prefix: string; mission: string }> {
  const planned = planStreams(freshState({ targets }), [plannedTask('work', { role, ...(stream ? { stream } : {}) })]);
  const task = planned.tasks[0]!;
  const { state, agent } = startTask(planned, task.id, { name: 'Forge', runtime: 'anthropic', simulated: false }, '2025-01-01T00:00:00.000Z');
  const input = agentInput(state, agent, state.tasks[0]!);
  const identity = await readIdentity(input.target);
  return { prefix: contextPrefix(input, identity), mission: missionText(input, 'Report when done.') };
}

describe("what targets.yaml's seed-003 fields give an agent", () => {
  it("a developer on aurora gets aurora's identity, its conventions and its own coder_agent prompt", async () => {
    const { prefix, mission } = await promptFor('developer', 'aurora:1.1');
    expect(prefix).toContain('# Identity context of aurora\n\n# Identity anchors for agents working on Aurora.');
    expect(prefix).toContain('# Conventions of aurora\n\n# Contributing to Aurora');
    expect(prefix).toContain('# Your instructions on aurora (its coder_agent prompt)\n\n# Aurora coder agent');
    expect(prefix).not.toContain('# PM agent');
    expect(mission).toContain('Target: aurora. Aurora, the companion app: memory, identity and voice. You work in its repository');
    expect(mission).toContain('Follow its identity context, its conventions, its coder_agent instructions above.');
  });

  it("a reviewer gets the pm_agent prompt (from defaults), and other roles get neither prompt file", async () => {
    const reviewer = await promptFor('reviewer', 'aurora:1.1');
    expect(reviewer.prefix).toContain('# Your instructions on aurora (its pm_agent prompt)\n\n# PM agent');
    expect(reviewer.prefix).not.toContain('coder agent');
    const researcher = await promptFor('researcher', 'aurora:1.1');
    expect(researcher.prefix).not.toContain('# Your instructions');
    expect(researcher.prefix).toContain('# Conventions of aurora');
  });

  it('work that matches no stream runs in the default target, with its files', async () => {
    const { prefix, mission } = await promptFor('developer');
    expect(mission).toContain('Target: self. The orchestrator itself');
    expect(prefix).toContain('# Identity context of self\n\n# Identity anchors for agents working on the orchestrator itself.');
    expect(prefix).toContain('# Conventions of self\n\n# Orchestrator conventions');
    expect(prefix).toContain('(its coder_agent prompt)\n\n# Coder agent');
  });

  it('without a default target, free work still runs in no target', () => {
    const s = planStreams(freshState({ targets: [target('site'), target('api')] }), [plannedTask('free'), plannedTask('s', { stream: 'site:1.1' })]);
    expect(s.tasks.map((t) => t.target)).toEqual([undefined, 'site']);
    const d = planStreams(freshState({ targets: [target('site'), target('api', { isDefault: true })] }), [plannedTask('free'), plannedTask('s', { stream: 'site:1.1' })]);
    expect(d.tasks.map((t) => t.target)).toEqual(['api', 'site']);
  });

  it('says so in the prompt when a conventions file cannot be read at call time', async () => {
    const text = await readIdentity({ name: 'x', path: '/nowhere', conventions: '/nowhere/CONVENTIONS.md' });
    expect(text).toBe('# Conventions of x\n\n(the conventions file /nowhere/CONVENTIONS.md could not be read: ENOENT)');
  });
});
