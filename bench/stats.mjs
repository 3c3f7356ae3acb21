export function percentile(sorted, fraction) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** p50/p99/mean of a list of milliseconds, rounded to microseconds. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value) => (value === null ? null : Math.round(value * 1000) / 1000);
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    mean_ms: round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
  };
}
