import { ROLE_PROFILES, type AgentRole } from '../roles';
import { listFiles, readFileTool, searchFiles } from './read-tools';
import { runCommand } from './run-command';
import type { AgentTool } from './tool';
import { editFile, writeFileTool } from './write-tools';

/** Tools that only look: every specialist has them. */
export const READ_TOOLS: readonly AgentTool[] = [listFiles, readFileTool, searchFiles];
/** Tools that change the workspace or run programs: only roles whose profile `writes`. */
export const WRITE_TOOLS: readonly AgentTool[] = [writeFileTool, editFile, runCommand];

/** The workspace tools `role` may call. */
export function toolsForRole(role: AgentRole): AgentTool[] {
  return ROLE_PROFILES[role].writes ? [...READ_TOOLS, ...WRITE_TOOLS] : [...READ_TOOLS];
}
