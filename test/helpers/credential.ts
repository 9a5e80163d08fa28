// A test TokenCredential: hands out a distinct token per scope and records what was asked.

import type { TokenCredential } from '../../src/index.ts';

export interface RecordingCredential extends TokenCredential {
  readonly scopes: string[];
}

export function fakeCredential(): RecordingCredential {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope) {
      const name = Array.isArray(scope) ? scope[0] : scope;
      scopes.push(name);
      return { token: tokenFor(name), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

/** The token the fake credential gives for a scope: tests check which audience signed a request. */
export function tokenFor(scope: string): string {
  return `test-token-for-${new URL(scope).host}`;
}
