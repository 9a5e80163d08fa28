// `{{ name }}` placeholders. They are found in the raw text (so every missing name is
// reported at once, before anything runs) and substituted into literal values after parsing,
// so a value can never change the shape of a statement.

import { EngineError, spanAt } from '../errors.ts';

export type TemplateVars = Readonly<Record<string, string | number | boolean | null | undefined>>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
/** `{{` and a name with no `}}` after it. */
const UNTERMINATED = /\{\{\s*\$?[A-Za-z_][\w.-]*\s*(?:$|[^\w.\s}-])/;
/** A name, or an OData param's (`$filter`, as StackQL's docs write `{{ $filter }}`). */
const NAME = /^\$?[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The placeholder names in a text, each once; throws TPL_INVALID for a malformed one. */
export function placeholderNames(text: string): readonly string[] {
  return text.includes('{{') ? scanPlaceholders(text) : NO_NAMES;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

function scanPlaceholders(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (!NAME.test(name)) {
      throw new EngineError('TPL_INVALID', `invalid template placeholder "${match[0]}"`, {
        span: spanAt(text, match.index ?? 0, match[0].length),
      });
    }
    names.add(name);
  }
  const rest = text.replace(PLACEHOLDER, '');
  const unterminated = UNTERMINATED.exec(rest);
  if (unterminated) {
    throw new EngineError('TPL_INVALID', `unterminated template placeholder "${unterminated[0].trim()}": missing "}}"`, { span: spanAt(text, text.indexOf(unterminated[0].trim()), 2) });
  }
  return [...names];
}

/** Throws TPL_MISSING_VAR naming every placeholder without a value. */
export function checkTemplateVars(text: string, vars: TemplateVars): void {
  checkNames(placeholderNames(text), vars);
}

export function checkNames(names: readonly string[], vars: TemplateVars): void {
  if (names.length === 0) return;
  const missing = names.filter((name) => !hasVar(vars, name));
  if (missing.length === 0) return;
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
  return Object.prototype.hasOwnProperty.call(vars, name) && vars[name] !== undefined;
}

function stringifyVar(value: TemplateVars[string]): string {
  return value === null || value === undefined ? '' : String(value);
}
