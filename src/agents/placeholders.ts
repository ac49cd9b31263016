import { z } from 'zod';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** A string whose `{{name}}` placeholders are all among `known`; anything else is a typo worth naming. */
export function templateString(known: readonly string[]) {
  return z.string().superRefine((value, ctx) => {
    for (const [, name] of value.matchAll(PLACEHOLDER)) {
      if (!known.includes(name ?? '')) ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${name}}} (known: ${known.join(', ')})` });
    }
  });
}

/** Fills `{{name}}` placeholders from `values`; one it has no value for stays as written. */
export function fillPlaceholders<K extends string>(text: string, values: Record<K, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as K] : whole));
}
