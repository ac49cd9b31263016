import { startFakeAnthropic, type FakeAnthropic, type FakeScenario } from './fake-anthropic';
import { workflowEnv, type WorkflowEnv } from './workflow-env';

/** Workflow-test workers whose `anthropic` runtime reads a fake Messages API from the environment, as a user's worker reads the real one. */
export interface AnthropicWorkflowEnv {
  env: WorkflowEnv;
  fake: FakeAnthropic;
  /** Stops workers and the fake, and puts ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY back. */
  close(): Promise<void>;
}

/** Starts a fake server for `scenario`, points the worker's environment at it with `apiKey`, and starts workers. */
export async function anthropicWorkflowEnv(scenario: FakeScenario, apiKey: string): Promise<AnthropicWorkflowEnv> {
  const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };
  const fake = await startFakeAnthropic(scenario, { apiKey });
  process.env.ANTHROPIC_BASE_URL = fake.url;
  process.env.ANTHROPIC_API_KEY = apiKey;
  const env = await workflowEnv();
  await env.startWorkers();
  return {
    env,
    fake,
    async close() {
      await env.close();
      await fake.close();
      restore('ANTHROPIC_BASE_URL', saved.url);
      restore('ANTHROPIC_API_KEY', saved.key);
    },
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
