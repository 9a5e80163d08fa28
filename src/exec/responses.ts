// Reading responses: JSON bodies, Azure's CloudError, and rows from response bodies.

import { EngineError } from '../errors.ts';
import type { FieldSpec } from '../registry/types.ts';
import type { RequestPlan, Row, SqlValue } from '../plan/types.ts';
import { redactUrl } from './redact.ts';
import type { HttpResponse } from './http.ts';

export function parseBody(response: HttpResponse, request: { url: string; operation: string }): unknown {
  if (response.body.trim() === '') return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    const type = response.headers['content-type'] ?? 'no content type';
    throw new EngineError('HTTP_BAD_RESPONSE', `${request.operation}: HTTP ${response.status} body is not JSON (${type})`, {
      details: { status: response.status, url: redactUrl(request.url) },
    });
  }
}

interface CloudErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly target?: string;
  readonly details?: readonly CloudErrorBody[];
}

export function statusError(response: HttpResponse, plan: RequestPlan, url: string): EngineError {
  const cloud = cloudError(response.body);
  const requestId = response.headers['x-ms-request-id'];
  const azure = cloud?.code || cloud?.message ? ` ${cloud.code ?? 'Error'}: ${oneLine(cloud.message ?? '')}` : '';
  const target = cloud?.target ? ` (target: ${cloud.target})` : '';
  const hintParts = [
    cloud?.details?.length ? `details: ${cloud.details.map((detail) => `${detail.code ?? ''}: ${oneLine(detail.message ?? '')}`).join('; ')}` : '',
    `${plan.method} ${redactUrl(url)}`,
    requestId ? `x-ms-request-id: ${requestId}` : '',
  ];
  return new EngineError('HTTP_STATUS', `${plan.operation}: HTTP ${response.status}${azure}${target}`, {
    hint: hintParts.filter(Boolean).join('; '),
    details: { status: response.status, azureCode: cloud?.code, azureMessage: cloud?.message, target: cloud?.target, details: cloud?.details, requestId },
  });
}

function cloudError(body: string): CloudErrorBody | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed?.error && typeof parsed.error === 'object' ? parsed.error : typeof parsed?.code === 'string' ? parsed : undefined;
  } catch {
    return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The items a response body holds: the list under itemsPath, or the body itself. */
export function responseItems(body: unknown, itemsPath: string | undefined): readonly unknown[] {
  if (body === undefined || body === null) return [];
  if (!itemsPath) return Array.isArray(body) ? body : [body];
  const items = (body as Record<string, unknown>)[itemsPath];
  return Array.isArray(items) ? items : [];
}

export function toRow(item: unknown, fields: readonly FieldSpec[]): Row {
  const source = (item ?? {}) as Record<string, unknown>;
  const row: Record<string, SqlValue> = {};
  for (const field of fields) row[field.name] = toSqlValue(source[field.name]);
  return row;
}

export function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as SqlValue;
}
