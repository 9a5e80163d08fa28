// stdout as the CLI writes to it. A write can fail: the reader went away (EPIPE, `| head -1`),
// the disk is full (ENOSPC, `> /dev/full`), the device failed (EIO). A stream reports that in an
// 'error' event, a writer given by a test may throw: both end in fail(). The first failure stops
// the work in progress (through `signal`), later writes are dropped, and it decides how the CLI ends.

import { getSystemErrorMessage } from 'node:util';
import { EngineError } from '../errors.ts';

export interface TextOutput {
  write(text: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface GuardedStdout {
  /** False when the caller should wait for drained() before writing more (backpressure). */
  write(text: string): boolean;
  /** Resolves once the target drained, or failed. */
  drained(): Promise<void>;
  /** Resolves once a failure of the writes made so far has been reported (streams report on a later tick). */
  settled(): Promise<void>;
  fail(error: unknown): void;
  /** Aborted at the first failure, with it (an OUTPUT_WRITE_FAILED EngineError) as the reason. */
  readonly signal: AbortSignal;
  readonly failure: EngineError | undefined;
}

/** 128 + SIGPIPE: how a Unix tool ends when the reader of its output went away. */
export const CLOSED_PIPE_STATUS = 141;

/** `beforeWrite` runs before each write (the CLI erases its status line there). */
export function guardStdout(target: TextOutput, beforeWrite?: () => void): GuardedStdout {
  const controller = new AbortController();
  let failure: EngineError | undefined;
  const guard: GuardedStdout = {
    write(text) {
      if (failure) return true;
      beforeWrite?.();
      try {
        return target.write(text) !== false;
      } catch (error) {
        guard.fail(error);
        return true;
      }
    },
    drained: () => (failure || !target.once ? Promise.resolve() : untilDrainOrAbort(target, controller.signal)),
    settled: () => new Promise((resolve) => setImmediate(resolve)),
    fail(error) {
      if (failure) return;
      failure = writeFailure(error);
      controller.abort(failure);
    },
    signal: controller.signal,
    get failure() {
      return failure;
    },
  };
  // Never unsubscribed: a failure reported after the CLI finished must not become an unhandled 'error'.
  target.on?.('error', (error) => guard.fail(error));
  return guard;
}

function untilDrainOrAbort(target: TextOutput, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    target.once!('drain', done);
  });
}

export function writeFailure(error: unknown): EngineError {
  const { code, errno } = (error ?? {}) as NodeJS.ErrnoException;
  const description = typeof errno === 'number' ? ` (${getSystemErrorMessage(errno)})` : '';
  return new EngineError('OUTPUT_WRITE_FAILED', `writing to stdout failed: ${code ?? 'unknown error'}${description}`, {
    cause: error,
    details: { errno: code },
  });
}

/** The reader went away: nothing is wrong with skyql, and nobody is left to tell. */
export function isClosedPipe(failure: EngineError): boolean {
  return failure.details?.errno === 'EPIPE';
}

/** Whether a statement was stopped because stdout failed (it is reported once, at the end). */
export function stoppedByOutputFailure(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof EngineError && signal.reason.code === 'OUTPUT_WRITE_FAILED';
}
