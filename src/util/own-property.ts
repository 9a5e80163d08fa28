// Rows are plain objects keyed by column name, and a column may be named `__proto__` (an alias, a
// field of a spec): assigning that key would set the object's prototype (or do nothing), and the
// column would be missing from the row. Every row is built through setOwn.

/** Sets `key` as the object's own property, whatever the key. */
export function setOwn<V>(target: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** The object's own value for `key` (null when it has none): `__proto__` and `constructor` are keys like any other. */
export function ownValue<V>(target: Readonly<Record<string, V>>, key: string): V | null {
  return Object.hasOwn(target, key) ? (target[key] ?? null) : null;
}

/**
 * A field of an object JSON.parse made (a response item): a name it lacks that Object.prototype
 * has (`constructor`, `toString`, `__proto__`, …) reads as absent, not as the prototype's member.
 * JSON holds no functions and never the prototype itself, so the check costs no lookup.
 */
export function jsonField(item: Readonly<Record<string, unknown>>, key: string): unknown {
  const value = item[key];
  return typeof value === 'function' || value === Object.prototype ? undefined : value;
}
