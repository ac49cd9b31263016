import { Failure, NEEDS_PERSON, needsPerson } from '../../src/shared/failures';

describe('needsPerson', () => {
  it('sends a bad key, a forbidden or unknown model, a bad request, a spend limit and a broken runtime config to a person', () => {
    expect(NEEDS_PERSON).toEqual(['Config.Invalid', 'Llm.Unauthorized', 'Llm.Forbidden', 'Llm.SpendLimit', 'Llm.BadRequest', 'Llm.NotFound']);
    for (const type of NEEDS_PERSON) expect(needsPerson(type)).toBe(true);
  });

  it('leaves failures a retry may fix, and a failure with no type, to the task', () => {
    for (const type of [Failure.AgentFailed, Failure.LlmRateLimited, Failure.LlmOverloaded, Failure.LlmTimeout, Failure.LlmInvalidOutput, 'Something.Else', '']) expect(needsPerson(type)).toBe(false);
    expect(needsPerson(undefined)).toBe(false);
  });
});

describe('the list of failures that need a person, as the module builds it', () => {
  it('is the same list when the module is loaded afresh (module-level code runs inside this test)', () => {
    jest.isolateModules(() => {
      const fresh = require('../../src/shared/failures') as typeof import('../../src/shared/failures');
      expect(fresh.NEEDS_PERSON).toEqual(['Config.Invalid', 'Llm.Unauthorized', 'Llm.Forbidden', 'Llm.SpendLimit', 'Llm.BadRequest', 'Llm.NotFound']);
    });
  });
});
