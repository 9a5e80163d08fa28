// Child-process entry of the mock: starts the servers, reports their origins, and runs until the
// parent ends it (or disconnects).

import { startMock, type MockOptions } from './mock-server.ts';

const mock = await startMock(JSON.parse(process.argv[2]) as MockOptions);
process.send?.(mock.origins);
const stop = () => {
  void mock.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
