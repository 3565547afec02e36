// The emulator under benchmark, in a process of its own (forked by the benchmarks) so that it gets
// a core of its own and the client's work is not counted against it. Its options come as JSON in
// the first argument (startEmulator's options; limits off when none are given). Tells the parent
// where it listens, gives it a token for the demo application user and the organisation's users;
// answers 'sample' with the CPU time it has used and its counters, and stops on 'stop'.
import { DEMO_APP, startEmulator } from '../../dist/emulator/index.js';

const options = process.argv[2] ? JSON.parse(process.argv[2]) : { limits: false };
const emulator = await startEmulator({ port: 0, ...options });
process.on('message', (message) => {
  if (message === 'sample') {
    const { requests, rowsCreated, faultsInjected, throttled } = emulator.stats;
    const rows = Object.values(rowsCreated).reduce((sum, count) => sum + count, 0);
    process.send({ sample: { cpu: process.cpuUsage(), requests, rows, faultsInjected, throttled } });
  }
  if (message === 'stop') void emulator.close().then(() => process.disconnect());
});
process.send({
  ready: {
    url: emulator.url,
    apiUrl: emulator.apiUrl,
    statsUrl: emulator.statsUrl,
    token: emulator.issueToken(DEMO_APP.clientId),
    users: emulator.users,
    faults: emulator.faults,
  },
});
