import type { Role } from './schemas';

/** Names the orchestrator itself goes by, one per orchestration. */
export const ORCHESTRATOR_NAMES: readonly string[] = ['Conductor', 'Maestro', 'Director', 'Coordinator', 'Synergy'];

/** Personal names per role; disjoint so a name alone tells the role. */
export const ROLE_NAMES: Readonly<Record<Role, readonly string[]>> = {
  researcher: ['Aria', 'Sage', 'Quinn', 'Iris', 'Darwin', 'Luna', 'Scout', 'Vera'],
  analyst: ['Atlas', 'Nova', 'Cipher', 'Prism', 'Lexi', 'Orion', 'Mira', 'Tally'],
  developer: ['Forge', 'Byte', 'Ada', 'Linus', 'Pixel', 'Rune', 'Grace', 'Kit'],
  reviewer: ['Argus', 'Judge', 'Vigil', 'Lens', 'Critic', 'Hawk', 'Minerva', 'Sterling'],
  qa: ['Probe', 'Checker', 'Sentinel', 'Tess', 'Verity', 'Ranger', 'Gauge', 'Proof'],
  executor: ['Runner', 'Dash', 'Pilot', 'Bolt', 'Switch', 'Relay', 'Piston', 'Sprint'],
  advisor: ['Oracle', 'Mentor', 'Socrates', 'Athena', 'Counsel', 'Solon', 'Beacon', 'Compass'],
};

/** The `index`th name of `pool`, wrapping with a numeric suffix: "Aria", …, "Vera", "Aria 2". */
function fromPool(pool: readonly string[], index: number): string {
  // Lenient on bad indexes: workflow code calls this, and a throw there would retry forever.
  const i = Number.isFinite(index) ? Math.max(0, Math.floor(index)) : 0;
  const base = pool[i % pool.length] ?? 'Agent';
  const round = Math.floor(i / pool.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}

/** Personal name of the `indexWithinRole`th (0-based) agent spawned for `role`. */
export function agentName(role: Role, indexWithinRole: number): string {
  return fromPool(ROLE_NAMES[role], indexWithinRole);
}

/** Personal name of the `index`th (0-based) orchestrator. */
export function orchestratorName(index: number): string {
  return fromPool(ORCHESTRATOR_NAMES, index);
}
