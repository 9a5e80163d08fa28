// What "the same request" means: method, path, query (in any order), JSON body, content-type, accept
// and the headers the operation declares as params (If-Match, If-None-Match).

import { isDeepStrictEqual } from 'node:util';
import type { RecordedRequest } from '../../helpers/mock-server.ts';

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  /** `name=value` pairs, decoded and sorted. */
  readonly query: readonly string[];
  readonly body: unknown;
  /** content-type, accept and the declared header params, by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

export function wireRequest(recorded: RecordedRequest, headerNames: readonly string[] = []): WireRequest {
  const question = recorded.path.indexOf('?');
  const path = question === -1 ? recorded.path : recorded.path.slice(0, question);
  const search = question === -1 ? '' : recorded.path.slice(question + 1);
  const query = [...new URLSearchParams(search)].map(([name, value]) => `${name}=${value}`).sort();
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'accept', ...headerNames.map((header) => header.toLowerCase())]) {
    if (recorded.headers[name] !== undefined) headers[name] = recorded.headers[name];
  }
  return { method: recorded.method, path: normalizeEscapes(path), query, body: parsedBody(recorded.body), headers };
}

/** `%c3%a9` and `%C3%A9` are one byte sequence. */
function normalizeEscapes(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (encoded) => encoded.toUpperCase());
}

function parsedBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One line per difference between the two clients' request sequences; [] when they are the same. */
export function differences(sdk: readonly RecordedRequest[], skyql: readonly RecordedRequest[], headerNames: readonly string[] = []): string[] {
  const found: string[] = [];
  if (sdk.length !== skyql.length) found.push(`${sdk.length} request(s) from the SDK, ${skyql.length} from skyql`);
  for (let i = 0; i < Math.min(sdk.length, skyql.length); i++) {
    const expected = wireRequest(sdk[i], headerNames);
    const actual = wireRequest(skyql[i], headerNames);
    for (const key of ['method', 'path', 'query', 'body', 'headers'] as const) {
      if (!isDeepStrictEqual(expected[key], actual[key])) found.push(`request ${i + 1} ${key}: SDK ${show(expected[key])}, skyql ${show(actual[key])}`);
    }
  }
  return found;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
