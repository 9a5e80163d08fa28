// The progress line on a terminal's stderr: pages, rows and time of a long list; erased before
// any other output, so nothing runs into it ("succeeded after 4 sOK: …" was the bug).

import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { statusLine } from '../../../src/cli/status-line.ts';
import { listProgress } from '../../../src/exec/pages.ts';
import { defaultFleet, FLEET_SUBSCRIPTION, fleetHandlers } from '../../helpers/azure-fleet.ts';
import { startMockServer } from '../../helpers/mock-server.ts';

describe('the status line', () => {
  it('rewrites itself, and end() erases it once', () => {
    let text = '';
    const status = statusLine({ write: (chunk: string) => (text += chunk) });
    status.end();
    status.show('a: 2 pages');
    status.show('a: 3 pages\x1b[2J');
    status.end();
    status.end();
    expect(text).toBe('\r\x1b[K… a: 2 pages\r\x1b[K… a: 3 pages\\x1b[2J\r\x1b[K');
  });

  it('says pages, rows and seconds', () => {
    expect(listProgress('azure.x.y.list', 12, 12345, 3_400)).toBe('azure.x.y.list: 12 pages, 12,345 rows, 3 s');
  });

  it('a long list shows its progress on a terminal, erased before the table and the row count', async () => {
    const server = await startMockServer(fleetHandlers(defaultFleet({ pageSize: 1 })));
    const out = { stdout: '', stderr: '', both: '' };
    const sql = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a'`;
    const run = (stderrIsTTY: boolean) =>
      runCli(['exec', sql, '--auth', '{"azure":{"type":"bearer","credentialsenvvar":"T"}}', '--endpoint', `azure=${server.origin}`, '--no-pager'], {
        stdout: {
          write: (text: string) => {
            out.stdout += text;
            out.both += text;
          },
        },
        stderr: {
          write: (text: string) => {
            out.stderr += text;
            out.both += text;
          },
        },
        env: { T: 'token-0123456789' },
        version: 't',
        stderrIsTTY,
      });
    try {
      expect(await run(true)).toBe(0);
      expect(out.stderr).toMatch(
        /^\r\x1b\[K… azure\.data_factory\.factories\.list_by_resource_group: 2 pages, 2 rows, \d+ s\r\x1b\[K… .*: 3 pages, 3 rows, \d+ s\r\x1b\[K3 rows\n$/,
      );
      expect(out.both).toMatch(/ s\r\x1b\[K\+-/);
      out.stderr = '';
      expect(await run(false)).toBe(0);
      expect(out.stderr).toBe('3 rows\n');
    } finally {
      await server.close();
    }
  });
});
