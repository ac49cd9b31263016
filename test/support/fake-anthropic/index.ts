/** A local stand-in for the Anthropic Messages API: scripted replies, streaming, tool use and injected faults. */
export { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions, type FakeScenario, type FakeScript } from './server';
export { call, fault, reply, say, slow, structured, structuredReport, submitPlan, submitReport, submitSynthesis, withUsage, type FakeBlock, type FakeReply, type FakeRequest, type FakeUsage } from './replies';
