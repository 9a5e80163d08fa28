// Arrays whose kind does not depend on which tier of V8 made them.
//
// `items.map(fn)` returns a packed array when the interpreter runs it, and a holey one when
// TurboFan has compiled the function that calls it (it allocates the result at its final length
// first); `[...items]` of such an array stays holey. Every optimized function that reads an array
// of a statement was compiled for the kinds it saw, so a producer changing tier sends the planner
// into bursts of deoptimization and recompilation (planning new statement shapes: ~100 deopts and
// ~0.5 s of compiling every ~21,000 statements, `node --trace-deopt`). The arrays a parsed
// statement holds are made with mapPacked, which is packed in every tier.

/** `items.map(fn)`, as a packed array in every tier. */
export function mapPacked<T, U>(items: readonly T[], fn: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) out.push(fn(items[i], i));
  return out;
}
