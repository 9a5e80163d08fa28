// Redaction by allow-list: only headers known to be harmless are shown as they are.

import { constantSet } from '../util/caches.ts';

const SAFE_HEADERS = constantSet([
  'accept',
  'content-type',
  'content-length',
  'user-agent',
  'if-match',
  'if-none-match',
  'x-ms-client-request-id',
  'x-ms-request-id',
  'x-ms-correlation-request-id',
  'retry-after',
  'location',
  'azure-asyncoperation',
  'date',
]);

const SENSITIVE_QUERY = /(sig|signature|token|key|secret|password|code)$/i;

export const REDACTED = 'REDACTED';

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) shown[name] = SAFE_HEADERS.has(name.toLowerCase()) ? value : REDACTED;
  return shown;
}

export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const names = [...parsed.searchParams.keys()];
  const hasUserInfo = parsed.username !== '' || parsed.password !== '';
  if (!hasUserInfo && !names.some((name) => SENSITIVE_QUERY.test(name))) return url;
  if (parsed.password !== '') parsed.password = REDACTED;
  for (const name of names) if (SENSITIVE_QUERY.test(name)) parsed.searchParams.set(name, REDACTED);
  return parsed.toString();
}
