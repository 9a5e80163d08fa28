// `{{ name }}` placeholders. They are found among a statement's tokens (the lexer reads a
// placeholder outside strings as a token of its own; inside a string it is part of the string),
// so a placeholder in a comment is no placeholder; every missing name is reported at once,
// before anything runs; values are substituted into literal values after parsing, so a value
// can never change the shape of a statement.

import { EngineError, spanAt } from '../errors.ts';
import type { Token } from './lexer.ts';

/** What a placeholder is replaced with: its var's value, as text unless it is alone in its literal. */
export type TemplateVars = Readonly<Record<string, string | number | boolean | null | undefined>>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
/** `{{` and a name with no `}}` after it. */
const UNTERMINATED = /\{\{\s*[.$]?[A-Za-z_$][\w$.[\]-]*\s*(?:$|[^\w$.[\]\s}-])/;
/**
 * A var's name (`sub-id`, `$filter`), or a path into structured vars as StackQL's Go templates
 * write it: `.global.project`, `firewalls[0].name`.
 */
export const PLACEHOLDER_NAME = /^[.$]?[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*$/;
const NAME = PLACEHOLDER_NAME;

/** The placeholder names of a statement's tokens, each once; throws TPL_INVALID for a malformed one. */
export function placeholderNames(tokens: readonly Token[], script: string): readonly string[] {
  const names = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'template') names.add(checkedName(token.value, script, token));
    else if (token.kind === 'string' && token.value.includes('{{')) for (const name of scanPlaceholders(token.value, script, token.offset + 1)) names.add(name);
  }
  return names.size === 0 ? NO_NAMES : [...names];
}

const NO_NAMES: readonly string[] = Object.freeze([]);

/** Go template actions StackQL scripts sometimes hold: `{{range .items}}` … `{{end}}`. */
const GO_ACTION = /^-?\s*(?:range|end|if|else|with|define|template|block)\b/;

function checkedName(name: string, script: string, token: Token): string {
  if (GO_ACTION.test(name)) {
    throw new EngineError('SQL_UNSUPPORTED', `Go template actions such as "{{${name}}}" are not supported`, {
      hint: 'write one statement per item, with each value as a {{ placeholder }} or a path such as {{ items[0].name }}',
      span: spanAt(script, token.offset, token.end - token.offset),
    });
  }
  if (!NAME.test(name))
    throw new EngineError('TPL_INVALID', `invalid template placeholder "{{${name}}}"`, { span: spanAt(script, token.offset, token.end - token.offset) });
  return name;
}

/** The placeholders inside a string literal's value (`at`: where the value starts in the script). */
function scanPlaceholders(text: string, script: string, at: number): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (!NAME.test(name)) {
      throw new EngineError('TPL_INVALID', `invalid template placeholder "${match[0]}"`, {
        span: spanAt(script, at + (match.index ?? 0), match[0].length),
      });
    }
    names.add(name);
  }
  const rest = text.replace(PLACEHOLDER, '');
  const unterminated = UNTERMINATED.exec(rest);
  if (unterminated) {
    throw new EngineError('TPL_INVALID', `unterminated template placeholder "${unterminated[0].trim()}": missing "}}"`, {
      span: spanAt(script, at + text.indexOf(unterminated[0].trim()), 2),
    });
  }
  return [...names];
}

export function checkNames(names: readonly string[], vars: TemplateVars): void {
  let missing: string[] | undefined;
  for (let i = 0; i < names.length; i++) if (!hasVar(vars, names[i])) (missing ??= []).push(names[i]);
  if (missing === undefined) return;
  const list = missing.map((name) => `"${name}"`).join(', ');
  throw new EngineError('TPL_MISSING_VAR', `no value for template variable${missing.length > 1 ? 's' : ''} ${list}`, {
    hint: `pass ${missing.map((name) => `--var ${name}=…`).join(' ')} (an empty value omits an optional param)`,
    details: { missing },
  });
}

/** Replaces every placeholder in a literal's text. Callers check names first. */
export function substituteTemplates(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => stringifyVar(vars[name.trim()]));
}

function hasVar(vars: TemplateVars, name: string): boolean {
  return Object.hasOwn(vars, name) && vars[name] !== undefined;
}

function stringifyVar(value: TemplateVars[string]): string {
  return value === null || value === undefined ? '' : String(value);
}
