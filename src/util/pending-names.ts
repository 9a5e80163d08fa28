// Names a script defines or drops before they exist (CREATE VIEW, DROP VIEW, CREATE MATERIALIZED
// VIEW, planned ahead of running), over the ones that do: what the rest of the script sees.

export class PendingNames<T> {
  /** Made at the first change: most scripts define nothing. null: dropped. */
  private changes?: Map<string, T | null>;

  set(name: string, value: T | null): void {
    (this.changes ??= new Map()).set(name, value);
  }

  /** The pending value of a lower-case name, or what `existing` has when the script did not change it. */
  get(key: string, existing: (key: string) => T | undefined): T | undefined {
    return this.changes?.has(key) ? (this.changes.get(key) ?? undefined) : existing(key);
  }

  get changed(): boolean {
    return this.changes !== undefined;
  }

  /** The names there are once the changes are made, sorted. */
  names(existing: readonly string[]): string[] {
    const names = new Set(existing);
    for (const [name, value] of this.changes ?? [])
      if (value) names.add(name);
      else names.delete(name);
    return [...names].sort();
  }
}
