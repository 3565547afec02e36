// The emulator under benchmark, in a process of its own (forked by emulator.bench.mjs) so that it
// gets a core of its own and the client's work is not counted against it. Tells the parent where
// it listens and gives it a token for the demo application user; answers 'cpu' with the CPU time
// it has used, and stops on 'stop'.
import { DEMO_APP, startEmulator } from '../../dist/emulator/index.js';

const emulator = await startEmulator({ port: 0, limits: false });
process.on('message', (message) => {
  if (message === 'sample') {
    const { requests, rowsCreated } = emulator.stats;
    const rows = Object.values(rowsCreated).reduce((sum, count) => sum + count, 0);
    process.send({ sample: { cpu: process.cpuUsage(), requests, rows } });
  }
  if (message === 'stop') void emulator.close().then(() => process.disconnect());
});
process.send({ ready: { apiUrl: emulator.apiUrl, statsUrl: emulator.statsUrl, token: emulator.issueToken(DEMO_APP.clientId) } });
