import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { artifactsDir, FileArtifactStore } from '../../src/artifacts/artifact-store';
import type { AgentReport, SpawnAgentInput } from '../../src/shared/activity-types';

const FIVE_MB = 5 * 1024 * 1024;

describe('an agent producing 5 MB of output', () => {
  it('writes the file, and its 5 MB summary goes to the artifact store with a short pointer in the report', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-large-'));
    const scenario = path.join(dataDir, 'scenario.yaml');
    const big = 'a'.repeat(FIVE_MB);
    writeFileSync(
      scenario,
      [
        'name: large',
        'agents:',
        '  - match: { role: developer }',
        '    delayMs: 0',
        `    summary: "${big}"`,
        '    claims: ["' + 'c'.repeat(5000) + '"]',
        '    files:',
        `      - { path: out/big.txt, content: "${big}" }`,
        '',
      ].join('\n'),
    );
    const input: SpawnAgentInput = {
      runtime: 'scripted',
      scenario,
      project: 'demo',
      agent: { id: 'AGENT_0001', name: 'Forge', role: 'developer' },
      task: { id: 'TASK_001', key: 'big', mission: 'Produce a lot', successCriteria: [] },
      inputs: [],
    };
    const mock = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const report = (await mock.run(createActivities({ dataDir }).spawnAgent, input)) as AgentReport;

    expect(statSync(path.join(dataDir, 'demo/workspace/out/big.txt')).size).toBe(FIVE_MB);
    expect(report.status).toBe('success');
    expect(report.summary.length).toBeLessThanOrEqual(2000);
    expect(report.claims[0]?.length).toBeLessThanOrEqual(1000);
    expect(JSON.stringify(report).length).toBeLessThan(5000);
    const id = /artifact ([0-9a-f]{64})/.exec(report.summary)?.[1];
    expect(id).toBeDefined();
    const whole = JSON.parse((await new FileArtifactStore(artifactsDir(dataDir)).get(id ?? '')).toString('utf8')) as AgentReport;
    expect(whole.summary).toBe(`[simulated] ${big}`);
    expect(whole.claims[0]).toHaveLength(5000);
  });
});
