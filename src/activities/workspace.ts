/** Workspace confinement lives with the agents that use it; activities keep importing it from here. */
export {
  projectDir,
  readWorkspaceFile,
  relativeInWorkspace,
  resolveExisting,
  resolveForWrite,
  resolveInWorkspace,
  workspaceDir,
  workspacePathProblem,
  writeWorkspaceFile,
} from '../agents/workspace';
