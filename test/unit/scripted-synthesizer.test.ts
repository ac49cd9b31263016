import { MAX_SYNTHESIS_ITEMS, MAX_SYNTHESIS_TEXT, synthesizeOutputs, type SynthesisSource } from '../../src/agents/scripted/synthesizer';
import type { SynthesizeInput } from '../../src/shared/activity-types';

function output(taskId: string, fields: Partial<SynthesisSource> = {}): SynthesisSource {
  return { taskId, objectiveId: 'OBJ_001', role: 'researcher', agentName: taskId, status: 'completed', summary: `${taskId} done`, claims: [], insights: [], ...fields };
}

function input(outputs: SynthesisSource[], objectives = [{ id: 'OBJ_001', description: 'Landing page', status: 'active' }]): SynthesizeInput {
  return { runtime: 'scripted', project: 'demo', session: 1, objectives, outputs };
}

describe('scripted synthesizer', () => {
  it('agrees on insights stated by two agents, whatever their case and punctuation', () => {
    const result = synthesizeOutputs(
      input([
        output('Aria', { insights: ['Most visitors use a phone', 'Only I think this'] }),
        output('Sage', { insights: ['most  visitors use a PHONE.'] }),
      ]),
    );
    expect(result.agreements).toEqual(['2 agents agree (Aria, Sage): Most visitors use a phone']);
    expect(result.insights).toEqual(['Most visitors use a phone']);
  });

  it('does not count one agent repeating itself as agreement, but counts claims made by several agents', () => {
    const result = synthesizeOutputs(
      input([
        output('Aria', { insights: ['Same', 'same'], claims: ['Page works without JS'] }),
        output('Argus', { role: 'reviewer', claims: ['page works without js'] }),
      ]),
    );
    expect(result.agreements).toEqual(['Claimed by Aria, Argus: Page works without JS']);
  });

  it('flags a failed task against the completed work of its objective, and a reviewer who failed the work', () => {
    const result = synthesizeOutputs(
      input([
        output('TASK_1'),
        output('TASK_2', { role: 'qa', status: 'failed', summary: 'checklist not written' }),
        output('TASK_3', { role: 'reviewer', agentName: 'Argus', status: 'failed', summary: 'missing alt text' }),
      ]),
    );
    expect(result.conflicts).toEqual([
      'TASK_2 (qa) failed but TASK_1 completed alongside it: checklist not written',
      'Reviewer Argus did not accept the work of OBJ_001: missing alt text',
    ]);
  });

  it('names the roles with the most insights and follow-ups raised repeatedly', () => {
    const result = synthesizeOutputs(
      input([
        output('Aria', { insights: ['a', 'b'], followUps: ['Ask the owner about Sundays'] }),
        output('Sage', { insights: ['c'], followUps: ['ask the owner about sundays'] }),
        output('Ada', { role: 'developer', insights: ['d'] }),
      ]),
    );
    expect(result.patterns).toEqual([
      'Most insights came from researcher agents (3 insights)',
      'Follow-up raised by 2 agents (Aria, Sage): Ask the owner about Sundays',
    ]);
  });

  it('lists follow-ups nobody addressed, and objectives with no finished work, as unknowns', () => {
    const result = synthesizeOutputs(
      input(
        [
          output('Aria', { followUps: ['Confirm Sunday hours', 'Pick a font'] }),
          output('Ada', { role: 'developer', claims: ['Used the font Inter; pick a font: done'] }),
        ],
        [
          { id: 'OBJ_001', description: 'Landing page', status: 'active' },
          { id: 'OBJ_002', description: 'Ordering form', status: 'pending' },
        ],
      ),
    );
    expect(result.unknowns).toEqual(['Open follow-up from Aria: Confirm Sunday hours', 'OBJ_002 has no finished work yet: Ordering form']);
  });

  it('proposes accepting an objective whose tasks all completed, and asks a person when one failed', () => {
    const result = synthesizeOutputs(
      input(
        [
          output('TASK_1', { agentName: 'Aria' }),
          output('TASK_2', { role: 'developer', agentName: 'Ada' }),
          output('TASK_3', { objectiveId: 'OBJ_002', role: 'qa', agentName: 'Probe', status: 'failed', summary: 'crashed twice' }),
        ],
        [
          { id: 'OBJ_001', description: 'Landing page', status: 'active' },
          { id: 'OBJ_002', description: 'Ordering form', status: 'active' },
        ],
      ),
    );
    expect(result.decisions).toEqual([
      {
        question: 'Accept the outputs of OBJ_001?',
        choice: 'accept',
        rationale: 'All 2 task(s) completed: TASK_1 (researcher, Aria), TASK_2 (developer, Ada)',
        needsPerson: false,
        objectiveId: 'OBJ_001',
      },
      {
        question: 'OBJ_002 has failed task(s) TASK_3: retry, re-plan or drop it?',
        rationale: '1 of 1 task(s) failed: TASK_3: crashed twice',
        needsPerson: true,
        objectiveId: 'OBJ_002',
      },
    ]);
  });

  it('keeps every string and list short enough for workflow history', () => {
    const long = 'x'.repeat(5000);
    const outputs = Array.from({ length: 60 }, (_, i) =>
      output(`TASK_${i}`, { agentName: `A${i}`, status: i % 2 ? 'failed' : 'completed', summary: long, insights: [`${i % 30} ${long}`], claims: [long] }),
    );
    const objectives = Array.from({ length: 30 }, (_, i) => ({ id: `OBJ_${i}`, description: long, status: 'active' }));
    const result = synthesizeOutputs(input(outputs.map((o, i) => ({ ...o, objectiveId: `OBJ_${Math.floor(i / 2)}` })), objectives));
    for (const list of [result.agreements, result.conflicts, result.patterns, result.unknowns, result.insights]) {
      expect(list.length).toBeLessThanOrEqual(MAX_SYNTHESIS_ITEMS);
      for (const text of list) expect(text.length).toBeLessThanOrEqual(MAX_SYNTHESIS_TEXT);
    }
    expect(result.conflicts.length).toBe(MAX_SYNTHESIS_ITEMS);
    expect(result.decisions.length).toBe(MAX_SYNTHESIS_ITEMS);
    for (const d of result.decisions) {
      expect(d.question.length).toBeLessThanOrEqual(MAX_SYNTHESIS_TEXT);
      expect(d.rationale.length).toBeLessThanOrEqual(MAX_SYNTHESIS_TEXT);
    }
  });

  it('is deterministic', () => {
    const outputs = [output('A', { insights: ['x'] }), output('B', { insights: ['x'], status: 'failed' })];
    expect(synthesizeOutputs(input(outputs))).toEqual(synthesizeOutputs(input(outputs)));
  });
});
