// The StackQL conformance data in ../shared/conformance/stackql: the corpus of statements StackQL
// users run, and the oracle of the requests StackQL sends for the methods of four Azure services.

import { readFileSync } from 'node:fs';

export type Vintage = '2025' | '2026';

export interface CorpusEntry {
  readonly id: string;
  readonly sql: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly category: string;
  readonly origin: string;
  readonly provider: string | null;
  readonly service: string | null;
  readonly resource: string | null;
  readonly method: string | null;
  readonly vintage: Vintage | null;
  readonly features: readonly string[];
}

/** The request StackQL sends for a method, as stackql-methods.json records it. */
export interface OracleMethod {
  readonly verb: string;
  readonly path: string;
  readonly fixedQuery: Readonly<Record<string, string>>;
  readonly operationId: string;
}

export interface Oracle {
  /** vintage → service → resource → method. */
  readonly vintages: Readonly<
    Record<Vintage, Readonly<Record<string, { readonly resources: Readonly<Record<string, { readonly methods: Readonly<Record<string, OracleMethod>> }>> }>>>
  >;
}

export function readCorpus(file: string): CorpusEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusEntry);
}

export function readOracle(file: string): Oracle {
  return JSON.parse(readFileSync(file, 'utf8')) as Oracle;
}

export function oracleMethod(oracle: Oracle, vintage: Vintage, service: string, resource: string, method: string): OracleMethod | undefined {
  return oracle.vintages[vintage]?.[service]?.resources[resource]?.methods[method];
}

/** The statements run against one vintage's registry: that vintage's, and those of no vintage. */
export function statementsOf(corpus: readonly CorpusEntry[], vintage: Vintage): CorpusEntry[] {
  return corpus.filter((entry) => entry.vintage === vintage || entry.vintage === null);
}
