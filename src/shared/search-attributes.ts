import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Imported by workflow code: keep this file free of anything but @temporalio/common.

/** Custom search attributes Baton registers on its namespace, as `name → CLI type`. */
export const BATON_SEARCH_ATTRIBUTES = { BatonPhase: 'Keyword', BatonProject: 'Keyword' } as const;

/** Typed key for the workflow's current phase (e.g. `planning`, `running`, `done`). */
export const BATON_PHASE = defineSearchAttributeKey('BatonPhase', SearchAttributeType.KEYWORD);

/** Typed key for the project a workflow belongs to. */
export const BATON_PROJECT = defineSearchAttributeKey('BatonProject', SearchAttributeType.KEYWORD);
