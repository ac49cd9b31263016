/** Workflow entry points registered by Baton's workers. */
export { orchestration } from './orchestration';
