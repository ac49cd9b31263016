import { z } from 'zod';

/**
 * A string matching `re`, like zod's `.regex()` but safe in a schema shared between workflows: zod's regex check
 * writes the pattern's `lastIndex`, which throws once the worker has frozen the shared schema modules
 * (src/workflows/preload.ts). Here the pattern stays in a closure, which freezing never reaches; `re` must not be
 * global or sticky. The JSON Schema generated for the LLM runtimes keeps the pattern.
 */
export function matching(base: z.ZodString, re: RegExp, message: string): z.ZodString {
  return base.refine((s) => re.test(s), message).meta({ pattern: re.source });
}
