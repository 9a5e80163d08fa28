// The statements clients send to a PostgreSQL server that are not skyql's: session settings,
// transaction control, version and identity probes, catalog queries. They are answered here so
// that clients connect; skyql does not pretend to be PostgreSQL beyond that (README: Server mode).

import type { Row } from '../plan/types.ts';
import type { Session } from './session.ts';
import { setOwn } from '../util/own-property.ts';

export type LocalAnswer =
  | {
      readonly kind: 'command';
      readonly tag: string;
      readonly effect?: 'begin' | 'end' | 'discard' | 'deallocate';
      readonly name?: string;
      readonly changed?: string;
    }
  | { readonly kind: 'rows'; readonly columns: readonly string[]; readonly rows: readonly Row[] }
  | { readonly kind: 'error'; readonly sqlstate: string; readonly message: string; readonly hint?: string };

export interface ServerFacts {
  readonly version: string;
  readonly database: string;
  readonly user: string;
  readonly processId: number;
}

/** skyql's own SHOW forms: SHOW PROVIDERS, SHOW EXTENDED METHODS… */
const SKYQL_SHOW = /^show\s+(providers|services|resources|methods|insert|extended)\b/i;
const CATALOG =
  /\b(?:pg_catalog|information_schema|pg_(?:type|namespace|class|attribute|database|settings|proc|roles|user|extension|index|description|constraint|attrdef|tables|views|am|stat_\w+|enum|range|collation|inherits|trigger|timezone_names|matviews|sequences?|tablespace|authid|locks|language|cast|operator|foreign_\w+|get_\w+|encoding_to_char|is_other_temp_schema|total_relation_size|has_\w+|shdescription|auth_members)|format_type|has_\w+_privilege|obj_description|col_description)\b/i;

/** The answer to a statement skyql does not run itself, or undefined for skyql's statements. */
export function answerLocally(statement: string, session: Session, facts: ServerFacts): LocalAnswer | undefined {
  const text = statement.trim().replace(/;\s*$/, '').trim();
  const lower = text.toLowerCase();
  const word = /^[a-z]+/.exec(lower)?.[0];
  switch (word) {
    case 'set':
      return setting(text, session);
    case 'reset':
      return reset(text, session);
    case 'show':
      return SKYQL_SHOW.test(text) ? undefined : show(text, session);
    case 'begin':
    case 'start':
      return { kind: 'command', tag: 'BEGIN', effect: 'begin' };
    case 'commit':
    case 'end':
      return { kind: 'command', tag: 'COMMIT', effect: 'end' };
    case 'abort':
      return { kind: 'command', tag: 'ROLLBACK', effect: 'end' };
    case 'rollback':
      return /^rollback\s+(work\s+|transaction\s+)?to\b/.test(lower)
        ? { kind: 'command', tag: 'ROLLBACK' }
        : { kind: 'command', tag: 'ROLLBACK', effect: 'end' };
    case 'savepoint':
      return { kind: 'command', tag: 'SAVEPOINT' };
    case 'release':
      return { kind: 'command', tag: 'RELEASE' };
    case 'discard':
      return { kind: 'command', tag: `DISCARD ${/^discard\s+(\w+)/.exec(lower)?.[1]?.toUpperCase() ?? 'ALL'}`, effect: 'discard' };
    case 'deallocate':
      return deallocate(text);
    case 'listen':
    case 'unlisten':
    case 'notify':
      return { kind: 'command', tag: word.toUpperCase() };
    case 'select':
      return CATALOG.test(text) ? emptyResult(text) : probe(text, session, facts);
    case 'with':
      return CATALOG.test(text) ? emptyResult(text) : undefined;
    case 'copy':
      return { kind: 'error', sqlstate: '0A000', message: 'skyql[SQL_UNSUPPORTED]: COPY is not supported', hint: 'run the SELECT itself' };
    default:
      return undefined;
  }
}

function setting(text: string, session: Session): LocalAnswer {
  const body = text.replace(/^set\s+(session\s+|local\s+)?/i, '');
  const timeZone = /^time\s+zone\s+(.+)$/i.exec(body);
  if (timeZone) return changed(session, 'timezone', unquote(timeZone[1]));
  const match = /^("[^"]+"|[A-Za-z_][\w.]*)\s*(?:=|\bto\b)\s*([\s\S]*)$/i.exec(body);
  // SET TRANSACTION …, SET SESSION CHARACTERISTICS …, SET ROLE …: accepted, nothing to keep.
  if (!match) return { kind: 'command', tag: 'SET' };
  const name = match[1].startsWith('"') ? match[1].slice(1, -1) : match[1];
  const value = match[2].trim();
  if (/^default$/i.test(value)) {
    session.reset(name);
    return { kind: 'command', tag: 'SET', changed: name };
  }
  return changed(
    session,
    name,
    value
      .split(/\s*,\s*/)
      .map(unquote)
      .join(', '),
  );
}

function changed(session: Session, name: string, value: string): LocalAnswer {
  session.set(name, value);
  return { kind: 'command', tag: 'SET', changed: name };
}

function reset(text: string, session: Session): LocalAnswer {
  const name = /^reset\s+("[^"]+"|[\w.]+)/i.exec(text)?.[1]?.replace(/^"|"$/g, '');
  if (!name || name.toLowerCase() === 'all') session.resetAll();
  else session.reset(name);
  return { kind: 'command', tag: 'RESET', changed: name };
}

function show(text: string, session: Session): LocalAnswer {
  const name = /^show\s+("[^"]+"|[\w.]+)$/i.exec(text)?.[1]?.replace(/^"|"$/g, '');
  if (!name)
    return { kind: 'error', sqlstate: '42601', message: 'skyql[SQL_SYNTAX]: expected SHOW name, or one of SHOW PROVIDERS, SERVICES, RESOURCES, METHODS' };
  if (name.toLowerCase() === 'all') {
    return {
      kind: 'rows',
      columns: ['name', 'setting', 'description'],
      rows: [...session.settings].map(([setting, value]) => ({ name: setting, setting: value, description: '' })),
    };
  }
  const key = name.toLowerCase() === 'time' ? 'timezone' : name;
  const value = session.settings.get(key) ?? session.settings.get(key.toLowerCase());
  if (value === undefined)
    return {
      kind: 'error',
      sqlstate: '42704',
      message: `skyql[SQL_UNSUPPORTED]: unrecognized configuration parameter "${name}"`,
      hint: 'SHOW ALL lists the settings; SHOW PROVIDERS, SERVICES, RESOURCES and METHODS explain the registry',
    };
  return { kind: 'rows', columns: [name.toLowerCase()], rows: [{ [name.toLowerCase()]: value }] };
}

function deallocate(text: string): LocalAnswer {
  const name = /^deallocate\s+(?:prepare\s+)?("[^"]+"|\w+)/i.exec(text)?.[1]?.replace(/^"|"$/g, '');
  if (!name || name.toLowerCase() === 'all') return { kind: 'command', tag: 'DEALLOCATE ALL', effect: 'deallocate' };
  return { kind: 'command', tag: 'DEALLOCATE', effect: 'deallocate', name };
}

type Probe = (session: Session, facts: ServerFacts, argument?: string) => string | null;

/** Functions of a FROM-less SELECT that clients call on connecting, by PostgreSQL's column name. */
const PROBES: Readonly<Record<string, Probe>> = {
  version: (_s, facts) => `PostgreSQL 15.0 (skyql ${facts.version}: the PostgreSQL wire protocol in front of skyql, not a PostgreSQL server)`,
  current_schema: () => 'public',
  current_schemas: () => '{public}',
  current_database: (_s, facts) => facts.database,
  current_catalog: (_s, facts) => facts.database,
  current_user: (_s, facts) => facts.user,
  current_role: (_s, facts) => facts.user,
  session_user: (_s, facts) => facts.user,
  user: (_s, facts) => facts.user,
  pg_backend_pid: (_s, facts) => String(facts.processId),
  pg_is_in_recovery: () => 'false',
  current_setting: (session, _f, argument) => session.settings.get(argument ?? '') ?? session.settings.get((argument ?? '').toLowerCase()) ?? null,
};

function probe(text: string, session: Session, facts: ServerFacts): LocalAnswer | undefined {
  const items = selectItems(text);
  if (!items || /\bfrom\b/i.test(text)) return undefined;
  const row: Record<string, string | null> = {};
  const columns: string[] = [];
  for (const item of items) {
    const match = /^([a-z_]+)\s*(?:\(\s*(?:'([^']*)'|false|true)?\s*\))?(?:\s+(?:as\s+)?("[^"]+"|\w+))?$/i.exec(item);
    const fn = match?.[1].toLowerCase();
    if (!match || !fn || !Object.hasOwn(PROBES, fn) || (fn === 'current_setting' && match[2] === undefined)) return undefined;
    const column = match[3]?.replace(/^"|"$/g, '') ?? fn;
    columns.push(column);
    setOwn(row, column, PROBES[fn](session, facts, match[2]));
  }
  return { kind: 'rows', columns, rows: [row] };
}

/** A catalog query skyql does not serve: no rows, with the columns its select list names. */
function emptyResult(text: string): LocalAnswer {
  const items = selectItems(text) ?? [];
  const columns = items.map(itemName).filter((name) => name !== '*');
  return { kind: 'rows', columns: [...new Set(columns)], rows: [] };
}

/** The top-level items between the first SELECT and its FROM (or the end). */
function selectItems(text: string): string[] | undefined {
  const start = /\bselect\s+(distinct\s+)?/i.exec(text);
  if (!start) return undefined;
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = start.index + start[0].length;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === ',') {
      items.push(text.slice(from, i).trim());
      from = i + 1;
    } else if (depth === 0 && /^from\b/i.test(text.slice(i, i + 5)) && /\s/.test(text[i - 1] ?? ' ')) {
      items.push(text.slice(from, i).trim());
      return items.filter(Boolean);
    }
  }
  items.push(text.slice(from).trim());
  return items.filter(Boolean);
}

function itemName(item: string): string {
  const alias = /(?:\bas\s+|\s)("[^"]+"|[A-Za-z_]\w*)$/i.exec(item);
  if (alias && !/^(?:as)$/i.test(alias[1])) return alias[1].replace(/^"|"$/g, '');
  const column = /(?:^|\.)("[^"]+"|[A-Za-z_]\w*)$/.exec(item);
  if (column) return column[1].replace(/^"|"$/g, '');
  const call = /^([A-Za-z_]\w*)\s*\(/.exec(item);
  return call ? call[1] : '?column?';
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("'") && trimmed.endsWith("'") && trimmed.length >= 2 ? trimmed.slice(1, -1).replaceAll("''", "'") : trimmed;
}
