// V8 settings for the CLI process (the library leaves its host's settings alone).

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation size at which growth stops: large enough that scavenges stay rare. */
const YOUNG_GENERATION_CAP = 4 * 1024 * 1024;

/**
 * V8 grows the young generation up to 32 MB per semi-space under a fast stream of short-lived rows,
 * which is what a million-row `--output jsonl` is: the process then peaks near 260 MB. Growth
 * stops once it reaches 4 MB (`--max-semi-space-size` cannot be changed once V8 runs; the growth
 * factor can). Stopping it at the starting size instead costs 15 % more CPU in scavenges.
 * Checked after garbage collections, so an idle shell costs nothing.
 */
export function boundYoungGeneration(): void {
  const observer = new PerformanceObserver(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!young || young.space_size < YOUNG_GENERATION_CAP) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
