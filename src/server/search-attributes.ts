import type { Connection } from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';

/** A search attribute type as the Temporal CLI spells it (`--search-attribute NAME=TYPE`). */
export type SearchAttributeKind = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** Search attributes to register, as `name → type`. */
export type SearchAttributeSpec = Readonly<Record<string, SearchAttributeKind>>;

// temporal.api.enums.v1.IndexedValueType numbers; spelled out to avoid a deep import of @temporalio/proto.
const INDEXED_VALUE_TYPE: Record<SearchAttributeKind, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

const GRPC_ALREADY_EXISTS = 6;

/** Anything with an operator service: a client `Connection` or a worker `NativeConnection`. */
export type OperatorConnection = Pick<Connection, 'operatorService'>;

/**
 * Register the custom search attributes in `attrs` that `namespace` lacks; returns the names added.
 * Idempotent: `--search-attribute` only applies when a SQLite namespace is first created, so this runs on every start.
 */
export async function ensureSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  attrs: SearchAttributeSpec,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const missing: Record<string, number> = {};
  for (const [name, kind] of Object.entries(attrs)) {
    const want = INDEXED_VALUE_TYPE[kind];
    const have = existing[name];
    if (have === undefined || have === null) missing[name] = want;
    else if (Number(have) !== want) {
      throw new Error(`search attribute ${name} already exists in namespace "${namespace}" with a different type (want ${kind})`);
    }
  }
  const names = Object.keys(missing);
  if (names.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    // Another process may have added them between our list and add.
    if (!(isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS)) throw err;
  }
  return names;
}

/** The `--search-attribute NAME=TYPE` arguments for `temporal server start-dev`. */
export function searchAttributeArgs(attrs: SearchAttributeSpec): string[] {
  return Object.entries(attrs).flatMap(([name, kind]) => ['--search-attribute', `${name}=${kind}`]);
}
