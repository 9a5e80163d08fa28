// Structured template data, as StackQL scripts use it: a `<<<json … >>>` block at the start of a
// script (or a --var-file / --iqldata file) holds nested values, and `{{ .global.project }}` or
// `{{ firewalls[0].name }}` picks one. Planning sees only flat vars: each placeholder's value is
// looked up here first, by the placeholder's own name.

import { EngineError, spanAt } from '../errors.ts';
import { jsonErrorOffset } from '../util/json-error.ts';
import type { TemplateVars } from './templates.ts';
import { setOwn } from '../util/own-property.ts';

/** A var's value: text, a number, a boolean, null, or (from a data file or block) nested values. */
export type TemplateValue = string | number | boolean | null | undefined | readonly TemplateValue[] | { readonly [key: string]: TemplateValue };
export type TemplateData = Readonly<Record<string, TemplateValue>>;

/** The data block's limit: it is read whole, before anything runs. */
const MAX_BLOCK_CHARS = 4 * 1024 * 1024;
const BLOCK_START = /^(\s*)<<<([A-Za-z]*)[^\S\n]*\n/;

export interface ScriptData {
  /** The script with the block blanked out (offsets, lines and columns unchanged). */
  readonly text: string;
  readonly data?: TemplateData;
}

/** Reads a leading `<<<json … >>>` block; a script without one is returned as it is. */
export function readDataBlock(script: string): ScriptData {
  const start = BLOCK_START.exec(script);
  if (!start) return { text: script };
  const kind = start[2].toLowerCase();
  const at = start[1].length;
  const closing = /\n[^\S\n]*>>>/g;
  closing.lastIndex = start[0].length - 1;
  const found = closing.exec(script);
  if (!found) throw new EngineError('TPL_INVALID', `the <<<${start[2]} data block has no closing ">>>" line`, { span: spanAt(script, at, 3) });
  const close = found.index;
  const end = close + found[0].length;
  if (kind === 'jsonnet') {
    throw new EngineError('SQL_UNSUPPORTED', 'jsonnet data blocks are not supported', {
      hint: 'write the data as JSON in a <<<json … >>> block, or pass it with --var-file file.json / --var name=value',
      span: spanAt(script, at, start[0].trimEnd().length - at),
    });
  }
  if (kind !== 'json')
    throw new EngineError('TPL_INVALID', `unknown data block "<<<${start[2]}"`, {
      hint: 'a script may start with a <<<json … >>> block',
      span: spanAt(script, at, 3),
    });
  const body = script.slice(start[0].length, close);
  if (body.length > MAX_BLOCK_CHARS)
    throw new EngineError('TPL_INVALID', `the <<<json data block is larger than ${MAX_BLOCK_CHARS} characters`, { span: spanAt(script, at, 3) });
  const data = parseBlock(body, script, at);
  return { text: blank(script, at, end), data };
}

function parseBlock(body: string, script: string, at: number): TemplateData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // The message says where, never what: a data block can hold secrets.
    const offset = script.indexOf(body, at) + (jsonErrorOffset(body) ?? 0);
    throw new EngineError('TPL_INVALID', 'the <<<json data block is not valid JSON', { span: spanAt(script, offset, 1) });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EngineError('TPL_INVALID', 'the <<<json data block must hold an object', {
      hint: '<<<json\n{ "project": "…" }\n>>>',
      span: spanAt(script, at, 3),
    });
  }
  return parsed as TemplateData;
}

/** Spaces in place of the block, newlines kept. */
function blank(script: string, from: number, to: number): string {
  return script.slice(0, from) + script.slice(from, to).replace(/[^\n]/g, ' ') + script.slice(to);
}

/**
 * The flat vars planning uses, for the placeholders named: a var of the placeholder's exact name
 * wins; `.a.b` is also found as `a.b`; else the name is a path into the nested values. An object
 * or array becomes its JSON text. A placeholder with no value is left out (checkNames reports it).
 */
export function placeholderVars(names: readonly string[], vars: TemplateData): TemplateVars {
  const flat: Record<string, TemplateVars[string]> = {};
  for (const name of names) {
    const value = lookup(vars, name);
    if (value !== undefined) setOwn(flat, name, flatValue(value));
  }
  return flat;
}

function lookup(vars: TemplateData, name: string): TemplateValue {
  if (Object.hasOwn(vars, name)) return vars[name];
  const bare = name.startsWith('.') ? name.slice(1) : name;
  if (bare !== name && Object.hasOwn(vars, bare)) return vars[bare];
  let value: TemplateValue = vars;
  for (const key of pathOf(bare)) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = (value as readonly TemplateValue[])[key];
    } else {
      if (Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, TemplateValue>)[key];
    }
  }
  return value;
}

/** `a.b[0].c` → ['a', 'b', 0, 'c']. The name was checked against PLACEHOLDER_NAME. */
function pathOf(name: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const match of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(match[2] === undefined ? match[1] : Number(match[2]));
  return keys;
}

function flatValue(value: Exclude<TemplateValue, undefined>): TemplateVars[string] {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}
