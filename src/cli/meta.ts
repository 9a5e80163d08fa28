// The shell's meta-commands (psql's backslash commands, a few of sqlite3's dot commands): parsed
// and applied to the shell's settings here, purely; running SQL and reading files is the shell's.

import type { TemplateValue } from '../sql/template-data.ts';
import { constantSet } from '../util/caches.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/format.ts';
import { setOwn } from '../util/own-property.ts';

export interface ShellSettings {
  output: OutputFormat;
  expanded: boolean | 'auto';
  timing: boolean;
  pager: boolean;
  readonly vars: Record<string, TemplateValue>;
}

export interface MetaCommand {
  readonly name: string;
  readonly args: readonly string[];
}

/** What the shell does after a meta-command: print text, run SQL, run a file, quit, or clear its statement buffer. */
export type MetaAction =
  | { readonly kind: 'print'; readonly text: string; readonly error?: boolean }
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'quit' }
  | { readonly kind: 'reset' };

const WORDS = constantSet(['help', 'exit', 'quit']);
const DOT_COMMANDS = constantSet(['.help', '.quit', '.exit', '.mode', '.tables', '.schema', '.timer']);

/**
 * A line that is a meta-command: one starting with "\" (anywhere in a statement, as in psql), or
 * help/exit/quit/.mode/.help/.quit/.exit at the start of a statement.
 */
export function parseMeta(line: string, atStatementStart: boolean): MetaCommand | undefined {
  const trimmed = line.trim().replace(/;$/, '').trim();
  const [name = '', ...args] = trimmed.split(/\s+/);
  if (name.startsWith('\\') && name.length > 1) return { name, args };
  if (!atStatementStart) return undefined;
  if (WORDS.has(name.toLowerCase()) && args.length === 0) return { name: name.toLowerCase(), args };
  if (DOT_COMMANDS.has(name.toLowerCase())) return { name: name.toLowerCase(), args };
  if (trimmed === '?') return { name: '\\?', args };
  return undefined;
}

export const SHELL_HELP = `Statements end with ";" and may span lines. Meta-commands:
  \\? | help              this help
  \\q | quit | exit       leave (or Ctrl-D)
  \\d [name]              describe: providers; a provider's services; a service's resources;
                         a resource's columns (DESCRIBE); a method's params (DESCRIBE METHOD)
  \\d+ name               the same, extended (\\dt, .tables and .schema work as \\d)
  \\x [on|off|auto]       expanded output: one line per column (toggles without an argument;
                         auto: for tables wider than the terminal)
  \\timing [on|off]       show how long each statement took (.timer too)
  \\o [format] | .mode    output format: table, json, jsonl or csv (shows it without an argument)
  \\pager [on|off]        page long tables on this terminal ($SKYQL_PAGER, $PAGER or less -FRX)
  \\i file.sql            run the statements of a file
  \\set [name value]      set a {{ name }} variable (lists them without an argument)
  \\unset name            remove a variable
  \\r                     clear the statement being typed
Keys: Tab completes names, columns and @params; Up/Down recall whole statements; Ctrl-R searches
history; Ctrl-C cancels the line or the running statement; Ctrl-D leaves.
`;

export function applyMeta(command: MetaCommand, settings: ShellSettings): MetaAction {
  const [first, ...more] = command.args;
  switch (command.name) {
    case '\\?':
    case '\\h':
    case 'help':
    case '.help':
      return print(SHELL_HELP);
    case '\\q':
    case '\\quit':
    case 'quit':
    case 'exit':
    case '.quit':
    case '.exit':
      return { kind: 'quit' };
    case '\\r':
      return { kind: 'reset' };
    // psql's \dt and sqlite3's .tables and .schema name the same lists.
    case '\\d':
    case '\\d+':
    case '\\dt':
    case '.tables':
    case '.schema':
      return describe(first, command.name === '\\d+');
    case '\\x':
      return first?.toLowerCase() === 'auto' ? expandedAuto(settings) : toggle(settings, 'expanded', first, 'Expanded display');
    case '\\timing':
    case '.timer':
      return toggle(settings, 'timing', first, 'Timing');
    case '\\pager':
      return toggle(settings, 'pager', first, 'Pager');
    case '\\o':
    case '.mode':
      return outputFormat(settings, first);
    case '\\i':
    case '\\include':
      return first ? { kind: 'file', file: command.args.join(' ') } : problem('\\i needs a file name: \\i script.sql');
    case '\\set':
      return setVar(settings.vars, first, more.join(' '));
    case '\\unset':
      return first ? unsetVar(settings.vars, first) : problem('\\unset needs a variable name');
    default:
      return problem(`unknown command ${command.name}; \\? lists the commands`);
  }
}

function print(text: string): MetaAction {
  return { kind: 'print', text };
}

function problem(text: string): MetaAction {
  return { kind: 'print', text: `${text}\n`, error: true };
}

/** \d follows the name's depth: nothing, a provider, a service, a resource, a method. */
function describe(name: string | undefined, extended: boolean): MetaAction {
  const parts = name ? name.split('.') : [];
  const more = extended ? 'EXTENDED ' : '';
  switch (parts.length) {
    case 0:
      return { kind: 'sql', sql: 'SHOW PROVIDERS;' };
    case 1:
      return { kind: 'sql', sql: `SHOW SERVICES IN ${name};` };
    case 2:
      return { kind: 'sql', sql: `SHOW RESOURCES IN ${name};` };
    case 3:
      return { kind: 'sql', sql: `DESCRIBE ${more}${name};` };
    default:
      return { kind: 'sql', sql: `DESCRIBE METHOD ${name};` };
  }
}

type Toggle = 'expanded' | 'timing' | 'pager';

function toggle(settings: ShellSettings, key: Toggle, value: string | undefined, label: string): MetaAction {
  if (value !== undefined && !['on', 'off'].includes(value.toLowerCase())) return problem(`${label}: expected on or off`);
  settings[key] = value === undefined ? !settings[key] : value.toLowerCase() === 'on';
  return print(`${label} is ${settings[key] ? 'on' : 'off'}.\n`);
}

function expandedAuto(settings: ShellSettings): MetaAction {
  settings.expanded = 'auto';
  return print('Expanded display is used automatically.\n');
}

function outputFormat(settings: ShellSettings, value: string | undefined): MetaAction {
  if (value === undefined) return print(`Output format is ${settings.output}.\n`);
  const format = value.toLowerCase() as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) return problem(`output format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  settings.output = format;
  return print(`Output format is ${format}.\n`);
}

function unsetVar(vars: ShellSettings['vars'], name: string): MetaAction {
  delete vars[name];
  return print('');
}

function setVar(vars: ShellSettings['vars'], name: string | undefined, value: string): MetaAction {
  if (name === undefined) {
    const names = Object.keys(vars).sort();
    return print(names.length === 0 ? 'No variables are set.\n' : `${names.map((key) => `${key} = ${JSON.stringify(vars[key])}`).join('\n')}\n`);
  }
  if (!/^[\w.-]+$/.test(name)) return problem('a variable name has letters, digits, "_", "-" and "."');
  setOwn(vars, name, unquoted(value));
  return print('');
}

/** `\set rg 'my rg'` and `\set rg my-rg` both set my…: surrounding quotes are not part of the value. */
function unquoted(value: string): string {
  const match = /^'(.*)'$|^"(.*)"$/s.exec(value);
  return match ? (match[1] ?? match[2]) : value;
}
