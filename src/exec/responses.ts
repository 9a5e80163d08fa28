// Reading responses: JSON bodies, Azure's CloudError, and rows from response bodies.

import { EngineError } from '../errors.ts';
import type { FieldSpec, RowTransform } from '../registry/types.ts';
import type { RequestPlan, Row, SqlValue } from '../plan/types.ts';
import { redactUrl } from './redact.ts';
import type { HttpResponse } from './http.ts';
import { jsonField, setOwn } from '../util/own-property.ts';

export function parseBody(response: HttpResponse, request: { url: string; operation: string }): unknown {
  if (isBlank(response.body)) return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    const type = response.headers['content-type'] ?? 'no content type';
    throw new EngineError('HTTP_BAD_RESPONSE', `${request.operation}: HTTP ${response.status} body is not JSON (${type})`, {
      details: { status: response.status, url: redactUrl(request.url) },
    });
  }
}

/** Whether a body is empty or whitespace, without copying it (a page is tens of kilobytes). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // JSON's whitespace, and the other characters trim() removes.
    if (!(code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) && text[i].trim() !== '') return false;
  }
  return true;
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
  const azure = cloud?.code || cloud?.message ? ` ${short(cloud.code ?? 'Error')}: ${oneLine(String(cloud.message ?? ''))}` : '';
  const target = cloud?.target ? ` (target: ${short(cloud.target)})` : '';
  const details = Array.isArray(cloud?.details) ? cloud.details.slice(0, 10) : [];
  const hintParts = [
    details.length ? `details: ${details.map((detail) => `${short(detail?.code ?? '')}: ${oneLine(String(detail?.message ?? ''), 300)}`).join('; ')}` : '',
    `${plan.method} ${redactUrl(url)}`,
    requestId ? `x-ms-request-id: ${requestId}` : '',
  ];
  return new EngineError('HTTP_STATUS', `${plan.operation}: HTTP ${response.status}${azure}${target}`, {
    hint: hintParts.filter(Boolean).join('; '),
    details: { status: response.status, azureCode: cloud?.code, azureMessage: cloud?.message, target: cloud?.target, details, requestId },
  });
}

function short(value: unknown): string {
  return oneLine(String(value), 200);
}

function cloudError(body: string): CloudErrorBody | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed?.error && typeof parsed.error === 'object' ? parsed.error : typeof parsed?.code === 'string' ? parsed : undefined;
  } catch {
    return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
  }
}

/** Azure's text as one line, cut at a length a person reads (a body may hold megabytes). */
export function oneLine(text: string, limit = 1_000): string {
  const line = text
    .slice(0, limit * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

/** Where a response's rows are, and how an item becomes a row. */
export interface ItemsShape {
  readonly itemsPath?: string;
  readonly rowTransform?: RowTransform;
}

/** The items a response body holds: the list under itemsPath, or the body itself; each reshaped by the row transform. */
export function responseItems(body: unknown, shape: ItemsShape): readonly unknown[] {
  if (body === undefined || body === null) return [];
  const transform = shape.rowTransform;
  if (transform?.kind === 'wrap' && !transform.each) return [{ [transform.field]: body }];
  const items = listAt(body, shape.itemsPath);
  return transform ? items.map((item) => reshape(item, transform)) : items;
}

function listAt(body: unknown, itemsPath: string | undefined): readonly unknown[] {
  if (!itemsPath) return Array.isArray(body) ? body : [body];
  const items = valueAt(body, itemsPath);
  return Array.isArray(items) ? items : [];
}

/** A property, or a dotted path of them when no property has the whole name. */
function valueAt(body: unknown, path: string): unknown {
  const object = body as Record<string, unknown>;
  if (Object.hasOwn(object, path) || !path.includes('.')) return object[path];
  let node: unknown = body;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function reshape(item: unknown, transform: RowTransform): unknown {
  if (transform.kind === 'wrap') return { [transform.field]: item };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const inner = (item as Record<string, unknown>)[transform.property];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? { ...inner, ...item } : item;
}

export function toRow(item: unknown, fields: readonly FieldSpec[]): Row {
  const source = (item ?? {}) as Record<string, unknown>;
  const row: Record<string, SqlValue> = {};
  for (const field of fields) setOwn(row, field.name, toSqlValue(jsonField(source, field.name)));
  return row;
}

export function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return jsonText(value);
  return value as SqlValue;
}

/** An object or array as JSON text; an empty one (runDimensions, annotations, tags) without a call to stringify. */
function jsonText(value: object): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : JSON.stringify(value);
  for (const _key in value) return JSON.stringify(value);
  return '{}';
}
