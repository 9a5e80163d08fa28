// A connection's own state: its settings (what SET changed), its template variables
// (SET var.name = 'value' answers {{ name }}), and whether a transaction block is open.

import type { TemplateVars } from '../sql/templates.ts';

export const VAR_PREFIX = 'var.';

/** What a new connection reports in ParameterStatus and answers to SHOW. */
export function defaultSettings(options: { user: string; applicationName: string; readOnly: boolean; version: string }): Map<string, string> {
  return new Map([
    ['server_version', '15.0'],
    ['server_version_num', '150000'],
    ['skyql_version', options.version],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['datestyle', 'ISO, MDY'],
    ['timezone', 'UTC'],
    ['intervalstyle', 'postgres'],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', 'on'],
    ['is_superuser', 'off'],
    ['session_authorization', options.user],
    ['application_name', options.applicationName],
    ['default_transaction_read_only', options.readOnly ? 'on' : 'off'],
    ['transaction_read_only', options.readOnly ? 'on' : 'off'],
    ['in_hot_standby', 'off'],
    ['search_path', '"$user", public'],
    ['transaction_isolation', 'read committed'],
    ['default_transaction_isolation', 'read committed'],
    ['extra_float_digits', '1'],
    ['max_identifier_length', '63'],
    ['statement_timeout', '0'],
  ]);
}

/** Settings a client is told about at startup (and when they change), as PostgreSQL does. */
export const REPORTED_SETTINGS: readonly string[] = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'datestyle',
  'timezone',
  'intervalstyle',
  'integer_datetimes',
  'standard_conforming_strings',
  'is_superuser',
  'session_authorization',
  'application_name',
  'default_transaction_read_only',
  'in_hot_standby',
];

/** ParameterStatus uses PostgreSQL's spelling of the names. */
export const REPORTED_NAMES: Readonly<Record<string, string>> = { datestyle: 'DateStyle', timezone: 'TimeZone', intervalstyle: 'IntervalStyle' };

export class Session {
  readonly settings: Map<string, string>;
  private readonly defaults: ReadonlyMap<string, string>;
  inTransaction = false;

  constructor(settings: Map<string, string>) {
    this.settings = settings;
    this.defaults = new Map(settings);
  }

  set(name: string, value: string): void {
    this.settings.set(name.startsWith(VAR_PREFIX) ? name : name.toLowerCase(), value);
  }

  reset(name: string): void {
    const key = name.startsWith(VAR_PREFIX) ? name : name.toLowerCase();
    const initial = this.defaults.get(key);
    if (initial === undefined) this.settings.delete(key);
    else this.settings.set(key, initial);
  }

  resetAll(): void {
    this.settings.clear();
    for (const [name, value] of this.defaults) this.settings.set(name, value);
  }

  /** The template variables SET var.name = 'value' gave. */
  vars(): TemplateVars {
    const vars: Record<string, string> = {};
    for (const [name, value] of this.settings) if (name.startsWith(VAR_PREFIX)) vars[name.slice(VAR_PREFIX.length)] = value;
    return vars;
  }
}
