import { renderBatonMetrics } from '../../src/client/prometheus';
import { statusView } from '../../src/shared/status';
import { freshState } from '../support/reducers';

test('every metric has HELP and TYPE; a figure with nothing to measure is left out rather than written as 0', () => {
  const text = renderBatonMetrics([statusView(freshState())]);
  for (const name of ['baton_agents_running', 'baton_tasks', 'baton_tokens_total', 'baton_success_task_success_rate']) {
    expect(text).toContain(`# HELP ${name} `);
    expect(text).toMatch(new RegExp(`# TYPE ${name} (gauge|counter)`));
  }
  expect(text).toContain('baton_agents_running{project="demo"} 0');
  expect(text).toContain('baton_tasks{project="demo",state="ready"} 0');
  expect(text).not.toMatch(/^baton_success_task_success_rate\{/m);
  expect(text).not.toMatch(/^baton_verification_pass_rate\{/m);
});

test('label values are escaped, so a project or role name cannot break the format', () => {
  const s = { ...statusView(freshState()), project: 'a"b\\c' };
  expect(renderBatonMetrics([s])).toContain('baton_agents_running{project="a\\"b\\\\c"} 0');
  expect(renderBatonMetrics([])).not.toMatch(/^baton_/m);
});
