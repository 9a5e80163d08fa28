// JSON `$ref` resolution across files. Every node is carried with the file and JSON pointer
// it came from, so relative refs inside other files resolve against the right directory and
// warnings can say exactly where a broken ref sits.
import { posix } from 'node:path';
import { EngineError } from '../errors.ts';

export type Json = { readonly [key: string]: unknown };

export interface Located {
  readonly node: Json;
  /** The document's path, as given to the resolver (spec-root-relative for generated providers). */
  readonly file: string;
  readonly pointer: string;
}

/** Returns a parsed document, or undefined when the file does not exist. */
export type LoadDocument = (file: string) => unknown;

export interface RefResolver {
  /** Follows `$ref` chains; undefined (after recording a warning) when a target is missing. */
  deref(located: Located): Located | undefined;
  readonly warnings: string[];
}

export interface RefResolverOptions {
  readonly rootFile: string;
  readonly rootDoc: unknown;
  readonly loadDocument?: LoadDocument;
  /** `file#pointer` → `file#pointer`, both as resolved paths: fixes for refs broken upstream. */
  readonly redirects?: Readonly<Record<string, string>>;
}

const MAX_REF_HOPS = 32;

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function child(parent: Located, ...keys: (string | number)[]): Located | undefined {
  let node: unknown = parent.node;
  for (const key of keys) {
    node = isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (!isJsonObject(node)) return undefined;
  const suffix = keys.map((key) => `/${escapePointer(String(key))}`).join('');
  return { node, file: parent.file, pointer: parent.pointer + suffix };
}

export function createRefResolver(options: RefResolverOptions): RefResolver {
  const documents = new Map<string, unknown>([[options.rootFile, options.rootDoc]]);
  const warned = new Set<string>();
  const warnings: string[] = [];

  function loadCached(file: string): unknown {
    if (!documents.has(file)) documents.set(file, options.loadDocument?.(file));
    return documents.get(file);
  }

  function warnOnce(target: string, reason: string, from: Located): void {
    if (warned.has(target)) return;
    warned.add(target);
    warnings.push(`unresolved $ref ${target} (${reason}), referenced from ${from.file}#${from.pointer}; using an opaque object`);
  }

  function resolveOnce(located: Located, ref: string): Located | undefined {
    const target = redirect(targetOf(ref, located.file), options.redirects);
    const [file, pointer] = splitTarget(target);
    const doc = loadCached(file);
    if (doc === undefined) {
      warnOnce(target, 'file not found', located);
      return undefined;
    }
    const node = evaluatePointer(doc, pointer);
    if (!isJsonObject(node)) {
      warnOnce(target, 'no such JSON pointer in the file', located);
      return undefined;
    }
    return { node, file, pointer };
  }

  function deref(located: Located): Located | undefined {
    let current = located;
    for (let hop = 0; typeof current.node.$ref === 'string'; hop++) {
      if (hop >= MAX_REF_HOPS) {
        warnOnce(current.node.$ref, 'circular $ref', located);
        return undefined;
      }
      const next = resolveOnce(current, current.node.$ref);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  return { deref, warnings };
}

/**
 * The absolute `file#pointer` a ref names, resolved against the referencing file. Only relative
 * file refs are followed: a URL or an absolute path could name anything on the network or disk.
 */
export function targetOf(ref: string, fromFile: string): string {
  const hash = ref.indexOf('#');
  const filePart = hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? '' : ref.slice(hash + 1);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(filePart)) throw refLimit(ref, fromFile, 'is a URL');
  if (filePart.startsWith('/') || filePart.startsWith('\\')) throw refLimit(ref, fromFile, 'is an absolute path');
  const file = filePart === '' ? fromFile : posix.normalize(posix.join(posix.dirname(fromFile), filePart));
  return `${file}#${pointer}`;
}

function refLimit(ref: string, fromFile: string, what: string): EngineError {
  const shown = ref.length > 120 ? `${ref.slice(0, 120)}…` : ref;
  return new EngineError('REG_SPEC_LIMIT', `$ref ${JSON.stringify(shown)} in ${fromFile} ${what}; only files beside the spec are read`);
}

function redirect(target: string, redirects: Readonly<Record<string, string>> | undefined): string {
  return redirects && Object.hasOwn(redirects, target) ? redirects[target] : target;
}

function splitTarget(target: string): [string, string] {
  const hash = target.indexOf('#');
  return [target.slice(0, hash), target.slice(hash + 1)];
}

function evaluatePointer(doc: unknown, pointer: string): unknown {
  const keys = pointer === '' ? [] : pointer.replace(/^\//, '').split('/').map(unescapePointer);
  let node = doc;
  for (const key of keys) {
    if (!isJsonObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(key: string): string {
  let decoded = key;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    // A malformed %-escape names no key: the pointer then finds nothing.
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}
