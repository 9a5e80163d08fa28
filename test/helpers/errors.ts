// The EngineError a call throws (or a promise rejects with); fails the test when there is none.

import { expect } from 'vitest';
import { EngineError } from '../../src/errors.ts';

export function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an EngineError');
}

export async function rejectionOf(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an EngineError');
}
