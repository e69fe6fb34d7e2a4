import { createClient, type OpenClawClient } from '@openclaw-node/client';
import { Option, UsageError } from '../clipanion.js';
import { shellQuote } from '@openclaw-node/core';
import { OpenClawCommand } from './openclaw-command.js';

/** Where client commands look for the server when neither --server nor OPENCLAW_SERVER is set. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8765';

/** A command that talks to the REST API: --server / --token, else OPENCLAW_SERVER / OPENCLAW_TOKEN. */
export abstract class ClientCommand extends OpenClawCommand {
  server = Option.String('--server', {
    description: `Server URL (default: $OPENCLAW_SERVER, else ${DEFAULT_SERVER})`,
  });

  token = Option.String('--token', {
    description: 'API token (default: $OPENCLAW_TOKEN; prefer the variable, flags show up in ps)',
  });

  /** ` --server <url>` when the server was named by flag, for printed follow-up commands. */
  protected serverArgs(): string {
    return this.server === undefined ? '' : ` --server ${shellQuote(this.server)}`;
  }

  protected client(): OpenClawClient {
    const env = this.context.env;
    const server = this.server ?? env.OPENCLAW_SERVER ?? DEFAULT_SERVER;
    const token = this.token ?? env.OPENCLAW_TOKEN;
    if (this.token === '') throw new UsageError('--token must not be empty');
    return createClient({ server, ...(token ? { token } : {}) });
  }
}
