import type { RuntimeRef } from './activity-types';
import type { InternalRole, OrchestrationConfig, Role } from './schemas';

/** Runtime and model for a role: its own settings first, then the orchestration's runtime. */
export function runtimeFor(config: OrchestrationConfig, role: Role | InternalRole): RuntimeRef {
  const own = config.roles[role];
  return {
    runtime: own?.runtime ?? config.runtime,
    ...(own?.model ? { model: own.model } : {}),
    ...(config.scenario ? { scenario: config.scenario } : {}),
  };
}
