// StackQL's response transforms are Go templates run on each response. skyql runs no template from
// a document: it recognises the few shapes StackQL's registries use and applies the same reshaping
// as data (RowTransform). A template of any other shape is reported, and rows keep the response's
// own shape.

import type { RowTransform } from '../types.ts';

export interface RecognisedTransform {
  readonly transform?: RowTransform;
  /** The transform is of a shape skyql does not know. */
  readonly unknown?: boolean;
}

const KEY = '"([A-Za-z_][A-Za-z0-9_@.]*)"';
/** `{ {{ $p := index $row "properties" }}{{ if eq (kindOf $p) "map" }}{{ range $k, $v := $p }}…`: hoists one object into the row. */
const HOIST = new RegExp(`\\$p := index \\$row ${KEY} \\}\\}\\{\\{ if eq \\(kindOf \\$p\\) "map" \\}\\}\\{\\{ range \\$k, \\$v := \\$p \\}\\}`);
/** `{"value": [{{- range $i, $v := . }}…{"value": {{ toJson $v }}}…]}`: each item of a bare array as a one-field row. */
const WRAP_EACH = new RegExp(
  `^\\{${KEY}: \\[\\{\\{- range \\$i, \\$v := (?:\\.|index \\. ${KEY}) \\}\\}\\{\\{ if \\$i \\}\\},\\{\\{ end \\}\\}\\{${KEY}: \\{\\{ toJson \\$v \\}\\}\\}`,
);
/** `{"value": {{ toJson . }}}`: the whole body as one one-field row. */
const WRAP_WHOLE = new RegExp(`^\\{${KEY}: \\{\\{ toJson \\. \\}\\}\\}$`);

export function recogniseTransform(transform: unknown): RecognisedTransform {
  if (!transform || typeof transform !== 'object') return {};
  const { type, body } = transform as { type?: unknown; body?: unknown };
  if (type !== 'golang_template_json_v0.3.0' || typeof body !== 'string') return { unknown: true };
  const text = body.trim();
  const hoist = HOIST.exec(text);
  if (hoist) return { transform: { kind: 'hoist', property: hoist[1] } };
  const each = WRAP_EACH.exec(text);
  if (each) return { transform: { kind: 'wrap', field: each[3], each: true } };
  const whole = WRAP_WHOLE.exec(text);
  if (whole) return { transform: { kind: 'wrap', field: whole[1], each: false } };
  return { unknown: true };
}

/** For a wrap over `index . "list"`: the body property holding the items. */
export function wrappedList(transform: unknown): string | undefined {
  const body = (transform as { body?: unknown } | undefined)?.body;
  return typeof body === 'string' ? WRAP_EACH.exec(body.trim())?.[2] : undefined;
}
