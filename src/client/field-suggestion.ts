/** Letters only, lower case: `dev_log`, `devLog` and `devlog` compare equal. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Edit distance between two short strings (insert, delete, substitute). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known field a mistyped one most likely meant (`gatez` → `gates`, `identityContext` → `identity_context`), if any is close. */
export function closestField(typed: string, known: readonly string[]): string | undefined {
  const t = squash(typed);
  let best: { field: string; d: number } | undefined;
  for (const field of known) {
    const d = distance(t, squash(field));
    if (!best || d < best.d) best = { field, d };
  }
  // Close means a slip of a letter or two, relative to the word's length.
  return best && best.d <= Math.max(1, Math.min(3, Math.floor(t.length / 3))) ? best.field : undefined;
}
