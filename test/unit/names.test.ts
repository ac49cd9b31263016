import { agentName, ORCHESTRATOR_NAMES, orchestratorName, ROLE_NAMES } from '../../src/shared/names';
import { Role } from '../../src/shared/schemas';

describe('agent names', () => {
  it('gives every role a pool of about eight names, none shared between roles or with the orchestrator', () => {
    const all = [...ORCHESTRATOR_NAMES];
    for (const role of Role.options) {
      expect(ROLE_NAMES[role].length).toBeGreaterThanOrEqual(6);
      all.push(...ROLE_NAMES[role]);
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('walks the pool, then wraps with a numeric suffix', () => {
    const pool = ROLE_NAMES.researcher;
    expect(agentName('researcher', 0)).toBe(pool[0]);
    expect(agentName('researcher', 1)).toBe(pool[1]);
    expect(agentName('researcher', pool.length)).toBe(`${pool[0]} 2`);
    expect(agentName('researcher', pool.length * 2 + 1)).toBe(`${pool[1]} 3`);
  });

  it('gives distinct names to the first hundred agents of a role', () => {
    const names = Array.from({ length: 100 }, (_, i) => agentName('developer', i));
    expect(new Set(names).size).toBe(100);
  });

  it('names orchestrators from their own pool', () => {
    expect([0, 1, 2, 3, 4].map(orchestratorName)).toEqual(['Conductor', 'Maestro', 'Director', 'Coordinator', 'Synergy']);
    expect(orchestratorName(5)).toBe('Conductor 2');
  });

  it('treats a negative or fractional index as the nearest valid one instead of throwing', () => {
    expect(agentName('qa', -3)).toBe(ROLE_NAMES.qa[0]);
    expect(agentName('qa', 1.7)).toBe(ROLE_NAMES.qa[1]);
  });
});
