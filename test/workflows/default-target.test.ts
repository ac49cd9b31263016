import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTargetsFile } from '../../src/client/targets-file';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

const ROADMAP = `# Orchestrator Roadmap

## Batch 1

### Phase 1.1: Roadmap Parser
- **Status:** ✅ Complete
- **Done When:** seed 003 roadmaps parse
`;

/** A seed-003 layout: an orchestrator repository with config/targets.yaml naming itself the default target. */
function seedProject(root: string): string {
  const files: Record<string, string> = {
    'orchestrator/config/targets.yaml': [
      'defaults:',
      '  devlog: "plans/devlog.md"',
      '  conventions: "docs/CONVENTIONS.md"',
      'default_target: self',
      'targets:',
      '  self:',
      '    name: "Orchestrator (Self)"',
      '    path: "."',
      '    identity_context: "config/identity/anchors.yaml"',
      '    gates:',
      '      - name: notes',
      '        command: "test -f notes/tracing.md"',
      '',
    ].join('\n'),
    'orchestrator/config/identity/anchors.yaml': 'name: Atlas\n',
    'orchestrator/docs/CONVENTIONS.md': '# Conventions\n',
    'orchestrator/plans/roadmap.md': ROADMAP,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return path.join(root, 'orchestrator/config/targets.yaml');
}

test('a goal that matches no stream is worked, verified and logged in the default target', async () => {
  const root = fs.mkdtempSync(path.join(env.dataDir, 'seed-'));
  const targets = await loadTargetsFile(seedProject(root));
  const scenario = writeScenario(
    env.dataDir,
    `name: default-target
plans:
  - match: "tracing"
    tasks:
      - { key: notes, role: researcher, mission: "Write tracing notes" }
agents:
  - match: { key: notes }
    files: [{ path: "notes/tracing.md", content: "# Tracing\\n" }]
defaults: { delayMs: 50 }
`,
  );
  const project = uniqueProject('default-target');
  await env.baton.start(project, { config: { scenario, targets }, objectives: ['Add OpenTelemetry tracing notes'] });
  const s = await waitForStatus(env.baton, project, (v) => settled(v) && v.objectives.length === 1);
  expect(s.objectives[0]?.status).toBe('completed');
  expect(s.tasks).toMatchObject([{ status: 'completed', target: 'self', verification: { passed: true, gates: [{ name: 'notes', passed: true }] } }]);
  expect(s.tasks[0]).not.toHaveProperty('stream');
  // The agent worked in the orchestrator repository itself, not the project workspace.
  expect(fs.readFileSync(path.join(root, 'orchestrator/notes/tracing.md'), 'utf8')).toBe('# Tracing\n');
  expect(fs.existsSync(path.join(env.dataDir, project, 'workspace/notes/tracing.md'))).toBe(false);
  expect(fs.readFileSync(path.join(root, 'orchestrator/plans/devlog.md'), 'utf8')).toContain('TASK_001');
});
