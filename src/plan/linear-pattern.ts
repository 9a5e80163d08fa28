// A spec pattern run by V8's own RegExp engine, where that is provably as fast as re2js: loading
// re2js and compiling its Unicode tables costs a CLI start ~25 ms, V8 compiles the same pattern in
// microseconds. V8 backtracks, so a pattern is only given to it when it is anchored at the start
// and unambiguous: each prefix of a value can be matched in one way at most (no overlapping
// alternatives, no loop whose next character could also start what follows it, no loop over
// something that matches the empty string). A backtracking search of such a pattern abandons
// each wrong turn at its first character, so it runs in time linear in the value.
//
// The input is the RE2 text translateDotNetPattern writes (patterns.ts), read back in the small
// vocabulary it writes; anything else (lookbehinds, inline options, lazy quantifiers) stays with
// re2js. The answers are re2js's on the same text: test/unit/plan/linear-pattern.test.ts compares
// them on every pattern of the bundled and pulled registries.

/** A set of code points: ranges and Unicode general categories, or everything outside them. */
interface CharSet {
  readonly negated: boolean;
  readonly ranges: readonly (readonly [number, number])[];
  /** `L`, `Nd`…; a `\P{…}` member is written with a leading `^`. */
  readonly categories: readonly string[];
}

/** A character set where it stands in the pattern (Glushkov's position: each is its own object). */
type SetNode = { readonly kind: 'set'; readonly set: CharSet };

type Node =
  | SetNode
  | { readonly kind: 'sequence'; readonly items: readonly Node[] }
  | { readonly kind: 'choice'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly body: Node; readonly min: number; readonly max: number; readonly counted: boolean };

/** RE2's `.` without the s flag. */
const ANY_BUT_NEWLINE: CharSet = { negated: true, ranges: [[0x0a, 0x0a]], categories: [] };
/** What translateDotNetPattern writes for .NET's `$` and `\Z`: the end, or a final newline before it. */
const DOTNET_END = '(?:\\n?\\z)';
/** RE2 refuses larger repeat counts (and re2js with it): such patterns stay with re2js, which says why. */
const MAX_REPEAT = 1_000;
/** More than this many character sets, and the analysis is not worth its cost. */
const MAX_POSITIONS = 256;
/** A range with more code points than this is not enumerated to compare with a category. */
const MAX_ENUMERATED = 512;

/** Comparisons of sets and of code points with sets, at most, before the analysis gives up (specs are untrusted input). */
const MAX_WORK = 20_000;

class NotLinear extends Error {}

/** The analysis's budget for one pattern, and the tests of its sets' members it compiled. */
class Work {
  private spent = 0;
  private readonly members = new Map<CharSet, RegExp>();
  private readonly categories = new Map<CharSet, RegExp>();

  spend(amount: number): void {
    this.spent += amount;
    if (this.spent > MAX_WORK) throw new NotLinear('too costly to analyse');
  }

  /** Whether a code point is among the set's members (its ranges and categories, negated or not). */
  isMember(set: CharSet, code: number): boolean {
    return this.compiled(this.members, set, { ...set, negated: false }).test(String.fromCodePoint(code));
  }

  /** Whether a code point is in one of the set's categories. */
  inCategories(set: CharSet, code: number): boolean {
    return this.compiled(this.categories, set, { negated: false, ranges: [], categories: set.categories }).test(String.fromCodePoint(code));
  }

  private compiled(cache: Map<CharSet, RegExp>, set: CharSet, part: CharSet): RegExp {
    this.spend(1);
    let regexp = cache.get(set);
    if (!regexp) {
      regexp = new RegExp(`^${setSource(part)}$`, 'u');
      cache.set(set, regexp);
    }
    return regexp;
  }
}

/**
 * A test equal to re2js's on `source` (RE2 text from translateDotNetPattern, without lookbehinds),
 * run by V8 in linear time; undefined when that cannot be shown.
 */
export function linearTest(source: string): ((value: string) => boolean) | undefined {
  if (!source.startsWith('^') && !source.startsWith('\\A')) return undefined;
  const body = source.slice(source.startsWith('^') ? 1 : 2);
  const end = body.endsWith(DOTNET_END) ? 'dotnet' : body.endsWith('\\z') ? 'strict' : 'none';
  const middle = end === 'dotnet' ? body.slice(0, -DOTNET_END.length) : end === 'strict' ? body.slice(0, -2) : body;
  try {
    const root = new Reader(middle).read();
    if (!repeatsWithin(root, MAX_REPEAT)) return undefined;
    checkUnambiguous(root, new Work());
    const regexp = new RegExp(`^(?:${jsSource(root)})${end === 'none' ? '' : '$'}`, 'u');
    if (end !== 'dotnet') return (value) => regexp.test(value);
    return (value) => regexp.test(value) || (value.endsWith('\n') && regexp.test(value.slice(0, -1)));
  } catch (error) {
    if (error instanceof NotLinear || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Reads the RE2 text translateDotNetPattern writes; anything outside that vocabulary is NotLinear. */
class Reader {
  private at = 0;
  private positions = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  read(): Node {
    const node = this.sequence();
    // RE2 reads `^a|b` as (^a)|b: only the first top-level option is anchored.
    if (this.at < this.text.length) throw new NotLinear(this.text[this.at] === '|' ? 'top-level alternation' : `unexpected ${this.text[this.at]}`);
    return node;
  }

  private choice(): Node {
    const options = [this.sequence()];
    while (this.text[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'choice', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.text.length && this.text[this.at] !== '|' && this.text[this.at] !== ')') items.push(this.quantified(this.atom()));
    return items.length === 1 ? items[0] : { kind: 'sequence', items };
  }

  private atom(): Node {
    const char = this.text[this.at];
    if (this.text.startsWith('(?:', this.at)) {
      this.at += 3;
      const inner = this.choice();
      if (this.text[this.at] !== ')') throw new NotLinear('unbalanced group');
      this.at++;
      return inner;
    }
    if (char === '[') return this.leaf(this.characterClass());
    if (char === '.') {
      this.at++;
      return this.leaf(ANY_BUT_NEWLINE);
    }
    if (char === '\\') {
      const code = this.escapedChar();
      return this.leaf({ negated: false, ranges: [[code, code]], categories: [] });
    }
    if ('()*+?{^$|]'.includes(char)) throw new NotLinear(`${char} here`);
    const code = this.text.codePointAt(this.at)!;
    this.at += code > 0xffff ? 2 : 1;
    return this.leaf({ negated: false, ranges: [[code, code]], categories: [] });
  }

  private leaf(set: CharSet): Node {
    if (++this.positions > MAX_POSITIONS) throw new NotLinear('too many positions');
    return { kind: 'set', set };
  }

  private quantified(node: Node): Node {
    let quantified = node;
    for (;;) {
      const bounds = this.bounds();
      if (!bounds) return quantified;
      if (this.text[this.at] === '?') throw new NotLinear('lazy quantifier');
      quantified = { kind: 'repeat', body: quantified, min: bounds[0], max: bounds[1], counted: this.text[this.at - 1] === '}' };
    }
  }

  private bounds(): [number, number] | undefined {
    const char = this.text[this.at];
    if (char === '*' || char === '+' || char === '?') {
      this.at++;
      return char === '*' ? [0, Infinity] : char === '+' ? [1, Infinity] : [0, 1];
    }
    if (char !== '{') return undefined;
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.at, this.at + 24));
    if (!match) throw new NotLinear('unknown brace');
    this.at += match[0].length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw new NotLinear('repeat count over 1000');
    return [min, max];
  }

  /** `[…]` or `[^…]` of single characters, `\x{…}` escapes, ranges and `\p{…}`/`\P{…}`. */
  private characterClass(): CharSet {
    this.at++;
    const negated = this.text[this.at] === '^';
    if (negated) this.at++;
    const ranges: [number, number][] = [];
    const categories: string[] = [];
    while (this.text[this.at] !== ']') {
      if (this.at >= this.text.length) throw new NotLinear('unterminated class');
      const category = /^\\([pP])\{([A-Za-z]+)\}/.exec(this.text.slice(this.at, this.at + 16));
      if (category) {
        this.at += category[0].length;
        categories.push(category[1] === 'P' ? `^${category[2]}` : category[2]);
        continue;
      }
      const low = this.classChar();
      if (this.text[this.at] === '-' && this.text[this.at + 1] !== ']') {
        this.at++;
        ranges.push([low, this.classChar()]);
      } else {
        ranges.push([low, low]);
      }
    }
    this.at++;
    return { negated, ranges, categories };
  }

  private classChar(): number {
    if (this.text[this.at] === '\\') return this.escapedChar();
    const code = this.text.codePointAt(this.at)!;
    if (!/[A-Za-z0-9]/.test(String.fromCodePoint(code))) throw new NotLinear('unescaped class member');
    this.at++;
    return code;
  }

  /** `\x{hex}`, or a backslash before a punctuation character. */
  private escapedChar(): number {
    const hex = /^\\x\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(this.at, this.at + 12));
    if (hex) {
      this.at += hex[0].length;
      return Number.parseInt(hex[1], 16);
    }
    const next = this.text[this.at + 1] ?? '';
    if (!/^[!-/:-@[-`{-~]$/.test(next)) throw new NotLinear(`escape \\${next}`);
    this.at += 2;
    return next.charCodeAt(0);
  }
}

/** RE2's limit on nested counts: `(a{10}){200}` is 2,000 copies of `a`, refused as `a{2000}` is. */
function repeatsWithin(node: Node, budget: number): boolean {
  if (node.kind === 'set') return true;
  if (node.kind === 'sequence') return node.items.every((item) => repeatsWithin(item, budget));
  if (node.kind === 'choice') return node.options.every((option) => repeatsWithin(option, budget));
  if (!node.counted) return repeatsWithin(node.body, budget);
  const copies = node.max === Infinity ? node.min : node.max;
  if (copies > budget) return false;
  return repeatsWithin(node.body, copies > 0 ? Math.trunc(budget / copies) : budget);
}

interface Summary {
  readonly nullable: boolean;
  readonly first: readonly SetNode[];
  readonly last: readonly SetNode[];
}

/**
 * Glushkov's construction, refusing on the way what a backtracking engine could match in two ways:
 * a repeated or optional part that can be empty, two options that can both be empty, and two
 * character sets that can both come next (at the start, or after the same set) sharing a code point
 * or reached by two paths.
 */
function checkUnambiguous(root: Node, work: Work): void {
  const follow = new Map<SetNode, SetNode[]>();
  const link = (from: readonly SetNode[], to: readonly SetNode[]) => {
    for (const source of from) {
      const next = follow.get(source) ?? [];
      for (const target of to) {
        if (next.includes(target)) throw new NotLinear('two paths to the same character');
        next.push(target);
      }
      follow.set(source, next);
    }
  };
  const summary = summarise(root, link);
  checkDisjoint(summary.first, work);
  for (const next of follow.values()) checkDisjoint(next, work);
}

function summarise(node: Node, link: (from: readonly SetNode[], to: readonly SetNode[]) => void): Summary {
  switch (node.kind) {
    case 'set':
      return { nullable: false, first: [node], last: [node] };
    case 'choice': {
      const options = node.options.map((option) => summarise(option, link));
      if (options.filter((option) => option.nullable).length > 1) throw new NotLinear('two options match the empty string');
      return { nullable: options.some((option) => option.nullable), first: options.flatMap((o) => o.first), last: options.flatMap((o) => o.last) };
    }
    case 'sequence': {
      let result: Summary = { nullable: true, first: [], last: [] };
      for (const item of node.items) {
        const next = summarise(item, link);
        link(result.last, next.first);
        result = {
          nullable: result.nullable && next.nullable,
          first: result.nullable ? [...result.first, ...next.first] : result.first,
          last: next.nullable ? [...result.last, ...next.last] : next.last,
        };
      }
      return result;
    }
    case 'repeat': {
      const body = summarise(node.body, link);
      if (body.nullable) throw new NotLinear('a repeated part matches the empty string');
      if (node.max > 1) link(body.last, body.first);
      return { nullable: node.min === 0, first: body.first, last: body.last };
    }
  }
}

function checkDisjoint(nodes: readonly SetNode[], work: Work): void {
  const sets = nodes.map((node) => node.set);
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      work.spend(1);
      if (!disjoint(sets[i], sets[j], work)) throw new NotLinear('two next characters overlap');
    }
  }
}

/** Whether no code point is in both sets; false when that cannot be shown cheaply. */
function disjoint(a: CharSet, b: CharSet, work: Work): boolean {
  if (a.negated && b.negated) return false;
  if (a.negated || b.negated) return a.negated ? within(b, a, work) : within(a, b, work);
  return !a.ranges.some((range) => rangeMeets(range, b, work)) && !b.ranges.some((range) => rangeMeets(range, a, work)) && categoriesApart(a, b);
}

/** Whether every code point of `inner` (not negated) is among the members of `outer` (negated). */
function within(inner: CharSet, outer: CharSet, work: Work): boolean {
  return (
    inner.categories.every((category) => outer.categories.some((other) => covers(other, category))) &&
    inner.ranges.every((range) => everyCodePoint(range, (code) => work.isMember(outer, code)))
  );
}

/** Whether a range shares a code point with a set that is not negated. */
function rangeMeets(range: readonly [number, number], set: CharSet, work: Work): boolean {
  if (set.ranges.some(([low, high]) => range[0] <= high && low <= range[1])) return true;
  if (set.categories.length === 0) return false;
  return !everyCodePoint(range, (code) => !work.inCategories(set, code));
}

/** False also when the range is too long to go through. */
function everyCodePoint(range: readonly [number, number], test: (code: number) => boolean): boolean {
  if (range[1] - range[0] > MAX_ENUMERATED) return false;
  for (let code = range[0]; code <= range[1]; code++) if (!test(code)) return false;
  return true;
}

/** General categories are a partition: `L` and `Nd` share nothing, `L` and `Lu` do; `\P{…}` shares with nearly all. */
function categoriesApart(a: CharSet, b: CharSet): boolean {
  return a.categories.every((x) => b.categories.every((y) => !x.startsWith('^') && !y.startsWith('^') && !x.startsWith(y) && !y.startsWith(x)));
}

function covers(outer: string, inner: string): boolean {
  return !outer.startsWith('^') && !inner.startsWith('^') && inner.startsWith(outer);
}

function jsSource(node: Node): string {
  switch (node.kind) {
    case 'set':
      return setSource(node.set);
    case 'sequence':
      return node.items.map(jsSource).join('');
    case 'choice':
      return `(?:${node.options.map(jsSource).join('|')})`;
    case 'repeat': {
      const { min, max } = node;
      const bounds = max === Infinity ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === max ? `{${min}}` : `{${min},${max}}`;
      return `(?:${jsSource(node.body)})${bounds}`;
    }
  }
}

function setSource(set: CharSet): string {
  const ranges = set.ranges.map(([low, high]) => (low === high ? codeSource(low) : `${codeSource(low)}-${codeSource(high)}`));
  const categories = set.categories.map((category) => (category.startsWith('^') ? `\\P{${category.slice(1)}}` : `\\p{${category}}`));
  return `[${set.negated ? '^' : ''}${ranges.join('')}${categories.join('')}]`;
}

function codeSource(code: number): string {
  return `\\u{${code.toString(16)}}`;
}
