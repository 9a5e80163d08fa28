// A result's rows are objects keyed by column name, so two columns of one name (`SELECT f.name,
// p.name`) would leave one value: the later name gets a suffix, as SQLite names the columns of
// `CREATE TABLE … AS SELECT` (`name`, `name:1`, `name:2`; names compared ignoring case, as SQLite
// compares them). A result with no repeated name keeps its names (the same array).

export function uniqueColumnNames(names: readonly string[]): readonly string[] {
  if (!hasRepeats(names)) return names;
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; taken.has(unique.toLowerCase()); n++) unique = `${name}:${n}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

function hasRepeats(names: readonly string[]): boolean {
  if (names.length < 2) return false;
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
