// Spec `pattern`s are .NET regular expressions: Azure validates values with .NET's Regex, where
// \w, \d and \s are Unicode and `$` also matches before a final newline. skyql checks a value
// against such a pattern with those meanings and in linear time: the pattern is translated to
// RE2 syntax and run by re2js; V8's backtracking RegExp runs it only where it is provably linear
// there too (linear-pattern.ts), never a pattern like ^(a+)+$, which would freeze planning. What RE2 cannot express (lookaheads, backreferences, atomic groups, \b,
// conditionals) is not checked here; Azure still checks it.

import { createRequire } from 'node:module';
import type { PlanSession } from './session.ts';
import { constantSet } from '../util/caches.ts';
import { linearTest } from './linear-pattern.ts';

export type Translation = { readonly source: string; readonly lookbehinds: boolean } | { readonly unsupported: string };

export interface PatternCheck {
  /** False when the pattern cannot be checked client-side; test() then accepts everything. */
  readonly checkable: boolean;
  /** Why a pattern is not checkable. */
  readonly reason?: string;
  test(value: string): boolean;
}

/** .NET's \w: letters, non-spacing marks, decimal digits, connector punctuation. */
const WORD = '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}';
/** .NET's \s: \t \n \v \f \r, U+0085 and the Unicode separators. */
const SPACE = '\\x{9}-\\x{D}\\x{85}\\p{Z}';
const DIGIT = '\\p{Nd}';
/** General categories both .NET and RE2 know (RE2's `C` lacks unassigned code points, .NET's has them). */
const CATEGORIES = constantSet('L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp Cc Cf Cs Co Cn'.split(' '));
/** Longer patterns are not checked: none of Azure's comes close, and compiling is not free. */
const MAX_PATTERN_LENGTH = 4_096;

class Untranslatable extends Error {}

/** A piece of a pattern read after a backslash. */
type Escape =
  | { readonly kind: 'char'; readonly code: number }
  | { readonly kind: 'set'; readonly members: string }
  | { readonly kind: 'notSet'; readonly members: string }
  | { readonly kind: 'assertion'; readonly text: string };

/** The .NET pattern as RE2 syntax with the same meaning, or why there is none. */
export function translateDotNetPattern(pattern: string): Translation {
  if (pattern.length > MAX_PATTERN_LENGTH) return { unsupported: `longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    return new Translator(pattern).run();
  } catch (error) {
    if (error instanceof Untranslatable) return { unsupported: error.message };
    throw error;
  }
}

class Translator {
  private position = 0;
  private multiline = false;
  private lookbehinds = false;
  /** The multiline flag outside each open group, restored when it closes. */
  private readonly groups: boolean[] = [];
  private readonly pattern: string;

  constructor(pattern: string) {
    this.pattern = pattern;
  }

  run(): Translation {
    let out = '';
    while (this.position < this.pattern.length) out += this.next();
    if (this.groups.length > 0) throw new Untranslatable('unbalanced (');
    return { source: out, lookbehinds: this.lookbehinds };
  }

  private next(): string {
    const char = this.pattern[this.position];
    switch (char) {
      case '\\':
        return this.escapeOutsideClass();
      case '[':
        return this.characterClass();
      case '(':
        return this.groupOpen();
      case ')':
        return this.groupClose();
      // .NET's `$` (without RegexOptions.Multiline) also matches before a final newline.
      case '$':
        this.position++;
        return this.multiline ? '$' : '(?:\\n?\\z)';
      case '{':
        return this.brace();
      case ']':
      case '}':
        this.position++;
        return `\\${char}`;
      default: {
        const literal = String.fromCodePoint(this.pattern.codePointAt(this.position)!);
        this.position += literal.length;
        return literal;
      }
    }
  }

  private escapeOutsideClass(): string {
    const escaped = this.readEscape(false);
    switch (escaped.kind) {
      case 'char':
        return charText(escaped.code);
      case 'set':
        return `[${escaped.members}]`;
      case 'notSet':
        return `[^${escaped.members}]`;
      case 'assertion':
        return escaped.text;
    }
  }

  /** A quantifier `{n}`, `{n,}`, `{n,m}`, or a literal brace as in .NET. */
  private brace(): string {
    const quantifier = /^\{\d+(?:,\d*)?\}/.exec(this.pattern.slice(this.position, this.position + 64))?.[0];
    if (!quantifier) {
      this.position++;
      return '\\{';
    }
    this.position += quantifier.length;
    return quantifier;
  }

  private groupOpen(): string {
    const rest = this.pattern.slice(this.position, this.position + 64);
    if (!rest.startsWith('(?')) return this.pushGroup(1, '(?:');
    if (rest.startsWith('(?:')) return this.pushGroup(3, '(?:');
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) throw new Untranslatable('lookahead');
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.lookbehinds = true;
      return this.pushGroup(4, rest.slice(0, 4));
    }
    if (rest.startsWith('(?>')) throw new Untranslatable('atomic group');
    if (rest.startsWith('(?(')) throw new Untranslatable('conditional');
    if (rest.startsWith('(?#')) return this.comment();
    const named = /^\(\?(?:<[^<>'()-]+>|'[^<>'()-]+')/.exec(rest)?.[0];
    // Groups never capture here: a boolean match needs no captures, and re2js lookbehinds allow none.
    if (named) return this.pushGroup(named.length, '(?:');
    const options = /^\(\?([imnsx]*)(?:-([imnsx]*))?([:)])/.exec(rest);
    if (options) return this.inlineOptions(options[0].length, options[1], options[2] ?? '', options[3]);
    throw new Untranslatable(rest.startsWith('(?<') || rest.startsWith("(?'") ? 'balancing group' : 'unknown group construct');
  }

  private pushGroup(length: number, text: string): string {
    this.groups.push(this.multiline);
    this.position += length;
    return text;
  }

  private groupClose(): string {
    if (this.groups.length === 0) throw new Untranslatable('unbalanced )');
    this.multiline = this.groups.pop()!;
    this.position++;
    return ')';
  }

  private comment(): string {
    const end = this.pattern.indexOf(')', this.position);
    if (end < 0) throw new Untranslatable('unterminated comment');
    this.position = end + 1;
    return '';
  }

  /** `(?imnsx-imnsx)` for the rest of the group, or `(?imnsx-imnsx:…)`. RE2 knows i, m and s. */
  private inlineOptions(length: number, on: string, off: string, end: string): string {
    if (on.includes('x')) throw new Untranslatable('RegexOptions.IgnorePatternWhitespace');
    const kept = (flags: string) => [...flags].filter((flag) => 'ims'.includes(flag)).join('');
    const flags = kept(on) + (kept(off) ? `-${kept(off)}` : '');
    if (end === ':') {
      this.pushGroup(length, '');
    } else {
      this.position += length;
    }
    if (on.includes('m')) this.multiline = true;
    if (off.includes('m')) this.multiline = false;
    if (end === ':') return flags ? `(?${flags}:` : '(?:';
    return flags ? `(?${flags})` : '';
  }

  /** `[…]` with .NET's rules: `]` first is literal, `-` after a class or before `]` is literal. */
  private characterClass(): string {
    this.position++;
    const negated = this.pattern[this.position] === '^';
    if (negated) this.position++;
    let members = '';
    const notSets: string[] = [];
    for (let first = true; ; first = false) {
      if (this.position >= this.pattern.length) throw new Untranslatable('unterminated [');
      const char = this.pattern[this.position];
      if (char === ']' && !first) break;
      if (char === '-' && this.pattern[this.position + 1] === '[' && !first) throw new Untranslatable('character class subtraction');
      const atom = this.classAtom();
      if (atom.kind === 'notSet') {
        notSets.push(atom.members);
      } else if (atom.kind === 'set') {
        members += atom.members;
      } else if (this.pattern[this.position] === '-' && this.position + 1 < this.pattern.length && this.pattern[this.position + 1] !== ']') {
        this.position++;
        const end = this.classAtom();
        if (end.kind !== 'char' || end.code < atom.code) throw new Untranslatable('invalid range in a character class');
        members += `${charText(atom.code)}-${charText(end.code)}`;
      } else {
        members += charText(atom.code);
      }
    }
    this.position++;
    return this.renderClass(negated, members, notSets);
  }

  private classAtom(): Exclude<Escape, { kind: 'assertion' }> {
    if (this.pattern[this.position] === '\\') {
      const escaped = this.readEscape(true);
      if (escaped.kind === 'assertion') throw new Untranslatable('an anchor in a character class');
      return escaped;
    }
    const code = this.pattern.codePointAt(this.position)!;
    this.position += code > 0xffff ? 2 : 1;
    return { kind: 'char', code };
  }

  /**
   * RE2 has no class inside a class, so a \W or \S member becomes an alternation (`[a\W]` is
   * `a` or a non-word character) or, in a negated class, lookbehinds on the character just read
   * (`[^_\W]` is a word character that is not `_`).
   */
  private renderClass(negated: boolean, members: string, notSets: readonly string[]): string {
    if (notSets.length === 0) return `[${negated ? '^' : ''}${members}]`;
    if (!negated) return `(?:${[...(members ? [`[${members}]`] : []), ...notSets.map((set) => `[^${set}]`)].join('|')})`;
    this.lookbehinds = true;
    const [firstSet, ...otherSets] = notSets;
    const alsoIn = otherSets.map((set) => `(?<=[${set}])`).join('');
    return `(?:[${firstSet}]${alsoIn}${members ? `(?<![${members}])` : ''})`;
  }

  private readEscape(inClass: boolean): Escape {
    const letter = this.pattern[this.position + 1];
    if (letter === undefined) throw new Untranslatable('trailing backslash');
    this.position += 2;
    switch (letter) {
      case 'w':
        return { kind: 'set', members: WORD };
      case 'W':
        return { kind: 'notSet', members: WORD };
      case 'd':
        return { kind: 'set', members: DIGIT };
      case 'D':
        return { kind: 'set', members: '\\P{Nd}' };
      case 's':
        return { kind: 'set', members: SPACE };
      case 'S':
        return { kind: 'notSet', members: SPACE };
      case 'p':
      case 'P':
        return { kind: 'set', members: this.category(letter) };
      case 't':
        return char(0x09);
      case 'n':
        return char(0x0a);
      case 'v':
        return char(0x0b);
      case 'f':
        return char(0x0c);
      case 'r':
        return char(0x0d);
      case 'a':
        return char(0x07);
      case 'e':
        return char(0x1b);
      case 'x':
        return char(this.hex(2));
      case 'u':
        return char(this.hex(4));
      case 'c':
        return char(this.control());
      case '0':
        return char(this.octal(letter));
    }
    if (inClass) {
      if (letter === 'b') return char(0x08);
      if (letter >= '1' && letter <= '7') return char(this.octal(letter));
    } else {
      if (letter === 'A') return { kind: 'assertion', text: '\\A' };
      if (letter === 'z') return { kind: 'assertion', text: '\\z' };
      if (letter === 'Z') return { kind: 'assertion', text: '(?:\\n?\\z)' };
      // .NET's \b counts Unicode word characters (and ZWJ/ZWNJ); RE2's only ASCII ones.
      if (letter === 'b' || letter === 'B') throw new Untranslatable('word boundary');
      if (letter === 'G') throw new Untranslatable('\\G');
      if ((letter >= '1' && letter <= '9') || letter === 'k') throw new Untranslatable('backreference');
    }
    if (/[A-Za-z0-9]/.test(letter)) throw new Untranslatable(`unknown escape \\${letter}`);
    const code = this.pattern.codePointAt(this.position - 1)!;
    if (code > 0xffff) this.position++;
    return char(code);
  }

  private category(letter: string): string {
    const name = /^\{([A-Za-z]+)\}/.exec(this.pattern.slice(this.position, this.position + 32))?.[1];
    // .NET's named blocks (\p{IsGreek}) have no RE2 equivalent.
    if (!name || !CATEGORIES.has(name)) throw new Untranslatable(`unknown Unicode category \\${letter}{${name ?? ''}}`);
    this.position += name.length + 2;
    return `\\${letter}{${name}}`;
  }

  private hex(digits: number): number {
    const text = this.pattern.slice(this.position, this.position + digits);
    if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(text)) throw new Untranslatable('invalid hexadecimal escape');
    this.position += digits;
    return Number.parseInt(text, 16);
  }

  /** Up to three octal digits, the first one already read. */
  private octal(first: string): number {
    let text = first;
    while (text.length < 3 && /[0-7]/.test(this.pattern[this.position] ?? '')) text += this.pattern[this.position++];
    return Number.parseInt(text, 8) & 0xff;
  }

  private control(): number {
    const code = (this.pattern[this.position] ?? '').toUpperCase().charCodeAt(0) - 0x40;
    if (!(code >= 0 && code < 0x20)) throw new Untranslatable('invalid control escape');
    this.position++;
    return code;
  }
}

function char(code: number): Escape {
  return { kind: 'char', code };
}

/** A character as RE2 text that means only itself, wherever it stands. */
function charText(code: number): string {
  return code < 0x80 && /[A-Za-z0-9]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : `\\x{${code.toString(16)}}`;
}

type Re2Module = typeof import('re2js');

/** A compiled check of a spec pattern; kept per pattern string in the planner's session. */
export function specPattern(pattern: string, session: PlanSession): PatternCheck {
  return session.patterns.getOrCompute(pattern, () => compileCheck(pattern));
}

function compileCheck(pattern: string): PatternCheck {
  const translation = translateDotNetPattern(pattern);
  if ('unsupported' in translation) return notCheckable(translation.unsupported);
  const linear = translation.lookbehinds ? undefined : linearTest(translation.source);
  if (linear) return { checkable: true, test: linear };
  // re2js is loaded only when a statement first checks a pattern: most CLI starts never do.
  const { RE2JS, RE2JSException } = createRequire(import.meta.url)('re2js') as Re2Module;
  try {
    const compiled = RE2JS.compile(translation.source, translation.lookbehinds ? RE2JS.LOOKBEHINDS : 0);
    return { checkable: true, test: (value) => compiled.test(value) };
  } catch (error) {
    // What .NET accepts and RE2 refuses (a repeat count over 1000, say) is not checked either.
    if (error instanceof RE2JSException) return notCheckable(error.message);
    throw error;
  }
}

function notCheckable(reason: string): PatternCheck {
  return { checkable: false, reason, test: () => true };
}
