import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadPrompt, promptsDir, ROLE_PROFILES, type AgentRole } from '../../src/agents/roles';

const ROLES = Object.keys(ROLE_PROFILES) as AgentRole[];

describe('roles and prompts', () => {
  it.each(ROLES)('%s has a prompt file that states what to return', async (role) => {
    const prompt = await loadPrompt(role);
    expect(prompt.startsWith(`# Role: ${role}`)).toBe(true);
    const tool = role === 'planner' ? 'submit_plan' : role === 'synthesizer' ? 'submit_synthesis' : 'submit_report';
    expect(prompt).toContain(tool);
    expect(prompt).toContain('```json');
  });

  it('planner and synthesizer state that the orchestrator never implements anything directly', async () => {
    for (const role of ['planner', 'synthesizer'] as const) expect(await loadPrompt(role)).toContain('never implements anything directly');
  });

  it('uses a stronger model for planning and synthesis than for specialists', () => {
    expect(ROLE_PROFILES.planner.model).toBe('claude-opus-5-5');
    expect(ROLE_PROFILES.synthesizer.model).toBe('claude-opus-5-5');
    for (const role of ['researcher', 'analyst', 'developer', 'reviewer', 'qa', 'executor', 'advisor'] as const) {
      expect(ROLE_PROFILES[role].model).toBe('claude-sonnet-5-5');
    }
  });

  it('honours BATON_PROMPTS_DIR, and names the file when a prompt is missing', async () => {
    const dir = mkdtempSync(`${tmpdir()}/baton-prompts-`);
    expect(promptsDir({ BATON_PROMPTS_DIR: dir })).toBe(dir);
    await expect(loadPrompt('researcher', dir)).rejects.toMatchObject({ type: 'Config.Invalid', message: expect.stringContaining(`${dir}/researcher.md`) });
  });
});
