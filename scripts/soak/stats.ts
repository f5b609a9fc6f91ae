// Latency figures for the soak report.

/** The value below which `p` (0–1) of the samples fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** Count, p50 and p99 of a set of latency samples. */
export function summarize(samples: number[]): { count: number; p50: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  return { count: list.length, p50: percentile(list, 0.5), p99: percentile(list, 0.99) };
}
