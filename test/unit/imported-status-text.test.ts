import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReport, renderReport } from '../../src/client/report';
import { renderStatus } from '../../src/client/status-text';
import { fromContext, toContext } from '../../src/shared/context';
import { addObjectiveSignal, stopSignal } from '../../src/shared/rejected-inputs';
import { OrchestrationConfig } from '../../src/shared/schemas';
import { statusView } from '../../src/shared/status';

const NOW = '2025-02-01T00:00:00.000Z';
const atlas = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/context/atlas-context.json'), 'utf8')) as unknown;

function importedWithBadSignals() {
  const r = fromContext(atlas, 'checkout', OrchestrationConfig.parse({}), NOW);
  if (!r.ok) throw new Error(r.error);
  let s = addObjectiveSignal(r.state, [{ descripton: 'typo' }], '2025-02-01T10:00:00.000Z').state;
  s = stopSignal(s, [{ agentId: 'AGENT_0009' }], '2025-02-01T10:05:00.000Z').state;
  return s;
}

describe('status and report text for imported history and rejected inputs', () => {
  const state = importedWithBadSignals();

  it('baton status shows the imported agents with their tasks, the phases, categorised insights and rejected signals', () => {
    const text = renderStatus(statusView(state));
    expect(text).toContain("Imported from the Atlas tool (P20240108091512, phase development, active): 4 agent(s), 3 completed phase(s)");
    expect(text).toMatch(/AGENT_0003 {2}Developer +active Build the Payment Element form with saved cards \(tasks TASK_003\)/);
    expect(text).toContain('phases done: initialization → research → story_creation');
    expect(text).toContain('[critical] Never log full card BINs: the PCI scope review flagged it (imported)');
    expect(text).toContain('Rejected inputs (2, latest last):');
    expect(text).toContain('2025-02-01T10:00:00.000Z  signal addObjective: description: description is required; input: unknown field(s) "descripton" — got {"descripton":"typo"}');
    expect(text).toContain('signal stop: agentId: no agent AGENT_0009 in project checkout');
  });

  it('the report has an Imported Context and a Rejected Inputs section, and insights with their category', () => {
    const report = buildReport(statusView(state), toContext(state), NOW);
    expect(report.rejectedInputs).toHaveLength(2);
    const md = renderReport(report);
    expect(md).toContain('### Imported Context');
    expect(md).toContain('- AGENT_0001  Researcher');
    expect(md).toContain('### Rejected Inputs\n- 2025-02-01T10:00:00.000Z signal `addObjective`: description: description is required');
    expect(md).toContain('- [process] Ship behind the checkout_v2 flag, 5% of traffic first');
  });

  it('shows neither section for an orchestration that was not imported and got no bad signal', () => {
    const r = fromContext({ baton: { ...toContext(state).baton, imported: undefined, rejectedInputs: undefined } }, 'x', OrchestrationConfig.parse({}), NOW);
    if (!r.ok) throw new Error(r.error);
    const text = renderStatus(statusView(r.state));
    expect(text).not.toContain('Imported from');
    expect(text).not.toContain('Rejected inputs');
    expect(renderReport(buildReport(statusView(r.state), toContext(r.state), NOW))).not.toMatch(/Imported Context|Rejected Inputs/);
  });
});
