// The error reference (docs/errors.md), generated from ERROR_CODES so it cannot drift.

import { ERROR_CODES } from './errors.ts';

const STAGES: Readonly<Record<string, string>> = {
  SQL: 'Reading the statement',
  TPL: 'Templates',
  REG: 'The registry',
  PLAN: 'Planning the requests (nothing sent yet)',
  HTTP: 'Talking to Azure',
  LRO: 'Long-running operations',
  AUTH: 'Credentials',
  CFG: 'Options and files',
  SERVER: 'Server mode (skyql serve, skyql mcp)',
  OUTPUT: 'Writing the output',
  INTERNAL: 'Bugs',
};

export function renderErrorReference(): string {
  const lines = [
    '# Error codes',
    '',
    'Every error skyql raises has one of these codes (`error[CODE]` in the CLI, `error.code` in the library),',
    'one line of message, and a hint. Generated from `src/errors.ts` by `npm run docs:errors`.',
    '',
  ];
  for (const [prefix, title] of Object.entries(STAGES)) {
    lines.push(`## ${title}`, '', '| code | default hint |', '|---|---|');
    for (const [code, hint] of Object.entries(ERROR_CODES)) if (code.startsWith(`${prefix}_`)) lines.push(`| \`${code}\` | ${hint.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
