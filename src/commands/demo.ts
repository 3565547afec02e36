import { startEmulator } from '../emulator/index.js';
import type { IO } from '../output/io.js';

/**
 * `dvas demo`: starts the embedded emulator and shows impersonation at work against it.
 * (Grows into a tour of the real commands as they land.)
 */
export async function runDemo(ctx: { io: IO }): Promise<number> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const app = emulator.issueToken('dvas-demo-app@contoso.com');
    const sam = emulator.users.find((user) => user.internalemailaddress === 'sam.sales@contoso.com');
    const call = async (headers: Record<string, string>) => {
      const response = await fetch(`${emulator.apiUrl}WhoAmI`, { headers: { Authorization: `Bearer ${app}`, Accept: 'application/json', ...headers } });
      return (await response.json()) as { UserId: string };
    };
    ctx.io.stderr.write(`Embedded Dataverse emulator at ${emulator.url}\n`);
    const self = await call({});
    ctx.io.stdout.write(`WhoAmI as the demo app:          UserId=${self.UserId}\n`);
    const asSam = await call({ CallerObjectId: sam?.azureactivedirectoryobjectid ?? '' });
    ctx.io.stdout.write(`WhoAmI with CallerObjectId=Sam:  UserId=${asSam.UserId} (Sam Sales is ${sam?.systemuserid})\n`);
    return 0;
  } finally {
    await emulator.close();
  }
}
