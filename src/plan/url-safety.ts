// Bearer tokens travel only over https, or plain http to this machine (local emulators, tests).
// Which hosts a token may reach is decided by registry/credential-hosts.ts.

import { EngineError } from '../errors.ts';
import { constantSet } from '../util/caches.ts';

const LOOPBACK_HOSTS = constantSet(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function checkUrlIsSafe(url: string, operation: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EngineError('PLAN_INVALID_VALUE', `${operation}: "${url}" is not a valid URL`, { hint: 'check the endpoint value' });
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return;
  throw new EngineError('PLAN_INSECURE_URL', `${operation}: refusing to send a bearer token to ${parsed.origin}`);
}
