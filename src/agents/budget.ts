import type { BudgetView, Usage } from '../shared/activity-types';
import { tokensOf } from './usage';

/** Why the run must stop for money or tokens (spent before this run plus `usage` at or over a limit), or undefined to go on. */
export function budgetProblem(budget: BudgetView | undefined, usage: Usage): string | undefined {
  if (!budget) return undefined;
  const tokens = budget.spentTokens + tokensOf(usage);
  const usd = budget.spentUsd + usage.costUsd;
  if (budget.maxTokens !== undefined && tokens >= budget.maxTokens) return `${tokens} of ${budget.maxTokens} tokens spent`;
  if (budget.maxUsd !== undefined && usd >= budget.maxUsd) return `$${usd.toFixed(4)} of $${budget.maxUsd.toFixed(2)} spent`;
  return undefined;
}
