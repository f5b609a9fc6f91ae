// How every benchmark compares two sides: alternating rounds, each round's mean per call is
// one sample, each side reports the median of its samples. Shared by the Worker (whose clock
// only moves across I/O, so rounds of calls are timed as a whole) and the Node side.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Comparison {
  measuredMs: number;
  baselineMs: number;
  ratio: number;
}

/** Alternate `rounds` rounds of the measured side and its baseline, `calls` calls each. */
export async function compare(
  options: { rounds: number; calls: { measured: number; baseline: number }; clock: () => number },
  measured: (call: number) => Promise<unknown>,
  baseline: (call: number) => Promise<unknown>,
): Promise<Comparison> {
  const samples = { measured: [] as number[], baseline: [] as number[] };
  let call = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const [side, run] of [["measured", measured], ["baseline", baseline]] as const) {
      const started = options.clock();
      for (let i = 0; i < options.calls[side]; i++) await run(call++);
      samples[side].push((options.clock() - started) / options.calls[side]);
    }
  }
  const measuredMs = median(samples.measured);
  const baselineMs = median(samples.baseline);
  return { measuredMs, baselineMs, ratio: measuredMs / baselineMs };
}
