import type { Redis } from 'ioredis';
import type { RedisJobStore } from '../../src/jobs/index.js';

/**
 * Run `write` (one store call) and keep the script command ioredis sent for it, to send it again as
 * ioredis does after a reconnect that lost its answer: `resend` answers the script's status, and is
 * undefined unless the call sent exactly one script.
 */
export async function sentScript<T>(
  store: RedisJobStore,
  admin: Redis,
  write: () => Promise<T>,
): Promise<{ result: T; resend: (() => Promise<string>) | undefined }> {
  const client = store.client;
  const send = client.sendCommand.bind(client);
  const seen: unknown[][] = [];
  client.sendCommand = (command, ...rest) => {
    if (command.name === 'evalsha') seen.push([...command.args]);
    return send(command, ...rest);
  };
  try {
    const result = await write();
    const args = seen.length === 1 ? seen[0]!.map(String) : undefined;
    return {
      result,
      resend: args && (async () => ((await admin.call('EVALSHA', ...args)) as string[])[0]!),
    };
  } finally {
    // The instance's own property goes: sendCommand is the prototype's again.
    delete (client as Partial<Redis>).sendCommand;
  }
}
