/** A page size within 1..maximum; callers validate, this only keeps a bad value from scanning a whole table. */
export function clampLimit(limit: number, maximum: number): number {
  if (!Number.isFinite(limit)) return maximum;
  return Math.min(maximum, Math.max(1, Math.trunc(limit)));
}
