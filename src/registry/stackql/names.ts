// The names a param of a StackQL document answers to, so that statements written for either
// registry vintage run unchanged: the 2025 documents name params in camelCase (`subscriptionId`),
// the 2026 documents in snake_case (`subscription_id`). (The 2025 docs' `data__` prefix of
// request-body fields is read by the planner for every method: plan/params.ts findParam.)

import { snakeCase } from '../../generator/words.ts';
import type { ParamSpec } from '../types.ts';

/** `subscription_id` → `subscriptionId`; names without `_` stay as they are. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Every param with the other vintage's spellings as aliases: snake_case and camelCase. An alias another param already answers to is left out. */
export function withVintageAliases(params: readonly ParamSpec[]): ParamSpec[] {
  const taken = new Set(params.flatMap((param) => [param.name, ...(param.aliases ?? [])].map((name) => name.toLowerCase())));
  return params.map((param) => {
    const aliases = [...(param.aliases ?? [])];
    for (const alias of candidates(param)) {
      if (taken.has(alias.toLowerCase())) continue;
      taken.add(alias.toLowerCase());
      aliases.push(alias);
    }
    return aliases.length > 0 ? { ...param, aliases } : param;
  });
}

function candidates(param: ParamSpec): string[] {
  return [snakeCase(param.name), camelCase(param.name)];
}
