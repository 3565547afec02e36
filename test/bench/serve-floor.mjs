// The floor for bench:emulator: a bare node:http server, in a process of its own as the emulator is,
// that answers what the benchmark asks with no Dataverse behind it. A GET gets the canned body the
// parent passes (the emulator's own answer to the same read, so that both send the same bytes);
// a CreateMultiple has its body read and parsed, and gets one new id per row. No token check, no
// store, no security: what remains is Node's HTTP server and JSON, the cost any emulator pays.
// Speaks the same messages as serve-emulator.mjs ('sample', 'stop').
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { once } from 'node:events';

const getAnswer = process.argv[2] ?? '{}';
let requests = 0;
let rows = 0;
const server = createServer((request, response) => {
  requests += 1;
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let body = getAnswer;
    if (request.method === 'POST') {
      const { Targets } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      rows += Targets.length;
      body = JSON.stringify({ '@odata.context': 'floor', Ids: Targets.map(() => randomUUID()) });
    }
    response.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' });
    response.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
process.on('message', (message) => {
  if (message === 'sample') process.send({ sample: { cpu: process.cpuUsage(), requests, rows } });
  if (message === 'stop') server.close(() => process.disconnect());
});
const { port } = server.address();
process.send({ ready: { apiUrl: `http://127.0.0.1:${port}/api/data/v9.2/`, token: 'none' } });
