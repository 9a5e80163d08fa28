export declare const unpacedClock: {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};
