// `--dry-run`: each planned request as one JSON line. No token: Authorization shows the
// scope a token would be fetched for.

import type { RequestPlan } from '../plan/types.ts';
import { redactHeaders, redactUrl } from '../exec/redact.ts';

export function renderRequestLine(request: RequestPlan): string {
  const authorization = request.audience ? { authorization: `Bearer <token for ${request.audience}>` } : {};
  const headers = { ...redactHeaders(request.headers), ...authorization };
  return JSON.stringify({ method: request.method, url: redactUrl(request.url), headers, body: request.body === undefined ? null : JSON.parse(request.body) });
}
