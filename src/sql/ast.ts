// skyql's statement AST: frozen plain objects with a `kind`. node-sql-parser's output is
// converted into these so later stages never see the parser's own shapes, except for the
// local part of a SELECT, which later stages hand to SQLite as text.

export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** `provider.service.resource`, or `provider.service.resource.method` for EXEC. */
export interface QualifiedName {
  readonly parts: readonly string[];
  readonly span: Span;
}

export type LiteralValue = string | number | boolean | null;

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  /** True when the value was written as a quoted string (`'1'` vs `1`). */
  readonly quoted: boolean;
  readonly span?: Span;
}

export interface Assignment {
  readonly name: string;
  readonly value: Literal;
  readonly span?: Span;
}

export interface Hints {
  readonly await: boolean;
  readonly required: boolean;
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly target: QualifiedName;
  readonly columns: readonly { readonly name: string; readonly span?: Span }[];
  /** One row per request: VALUES (…), (…) or a constant SELECT. */
  readonly rows: readonly (readonly Literal[])[];
  readonly returning?: readonly string[];
  readonly hints: Hints;
}

export interface ExecStatement {
  readonly kind: 'exec';
  readonly target: QualifiedName;
  readonly args: readonly Assignment[];
  /** `@@json='{…}'`: the whole request body. */
  readonly json?: Literal;
  readonly hints: Hints;
}

export interface Condition {
  readonly column: string;
  readonly operator: '=';
  readonly value: Literal;
  readonly span?: Span;
}

export interface SelectItem {
  readonly column: string;
  readonly alias?: string;
}

export interface SelectStatement {
  readonly kind: 'select';
  readonly from: QualifiedName;
  /** `undefined` means `*`. */
  readonly items?: readonly SelectItem[];
  /** Equality conditions joined by AND; those on params become the request. */
  readonly where: readonly Condition[];
  readonly hints: Hints;
}

export type ShowTarget = 'providers' | 'services' | 'resources' | 'methods' | 'insert';

export interface ShowStatement {
  readonly kind: 'show';
  readonly target: ShowTarget;
  readonly extended: boolean;
  readonly scope?: QualifiedName;
  readonly like?: string;
  /** SHOW INSERT INTO … with the REQUIRED hint: only the required params. */
  readonly requiredOnly: boolean;
}

export interface DescribeStatement {
  readonly kind: 'describe';
  readonly target: QualifiedName;
  readonly extended: boolean;
  /** DESCRIBE METHOD provider.service.resource.method */
  readonly method: boolean;
}

/** REGISTRY ADD 'spec.yaml' AS provider.service [AUDIENCE 'scope'] */
export interface RegistryAddStatement {
  readonly kind: 'registry_add';
  readonly specFile: string;
  readonly target: QualifiedName;
  readonly audience?: string;
}

export type Statement = InsertStatement | ExecStatement | SelectStatement | ShowStatement | DescribeStatement | RegistryAddStatement;
export type StatementKind = Statement['kind'];

/** A statement with the text it came from (the whole script, so spans stay absolute). */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: Span;
}

export const NO_HINTS: Hints = Object.freeze({ await: false, required: false });
