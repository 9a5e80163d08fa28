// V8 settings for the CLI process (the library leaves its host's settings alone).

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation size (V8's new space) at which growth stops: large enough that scavenges stay rare. */
const YOUNG_GENERATION_CAP = 4 * 1024 * 1024;

/**
 * A check to call with each page of rows a stream prints. V8 grows the young generation up to
 * 32 MB per semi-space under a fast stream of short-lived rows, which is what a million-row
 * `--output jsonl` is: the process then peaks near 140 MB, ~115 MB with this check (the bench's
 * jsonl-stream scenario). Growth stops once the young generation reaches the cap
 * (`--max-semi-space-size` cannot be changed once V8 runs; the growth factor can).
 * A start has usually grown it to 8 MB already (measured at the first page), where it then stays.
 * Checked with each page rather than after garbage collections: a GC observer is told late, after
 * more growth. Loaded only by a stream: node:v8 takes ~5 ms to load, which no other start pays.
 */
export function youngGenerationBound(): () => void {
  let bounded = false;
  return () => {
    if (bounded) return;
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!young || young.space_size < YOUNG_GENERATION_CAP) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    bounded = true;
  };
}
