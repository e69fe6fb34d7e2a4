import { hostname } from 'node:os';
import { createServer, loadTokensFromEnv, TOKEN_HELP } from '@openclaw-node/server';
import { Command, Option } from '../../clipanion.js';
import { createCliLogger } from '../../logger.js';
import { waitForShutdown } from '../../shutdown.js';
import { OpenClawCommand } from '../openclaw-command.js';
import { parsePort } from '../parse-port.js';

/** `openclaw server start`: the REST API and the agent gateway, until SIGINT/SIGTERM. */
export class ServerStartCommand extends OpenClawCommand {
  static override paths = [['server', 'start']];

  static override usage = Command.Usage({
    category: 'Server',
    description: 'Start the server: REST API and agent gateway',
    details: `
      Serves the REST API under \`/api\` and the agents' Socket.IO gateway under \`/ws\` on one port, until SIGINT or SIGTERM.

      Tokens come from \`OPENCLAW_NODE_TOKEN\` (one token), \`OPENCLAW_TOKENS\` (comma-separated) and \`OPENCLAW_TOKENS_FILE\` (a YAML file with a \`tokens:\` list of strings or \`{token, name, roles}\` entries). The server refuses to start without one.

      \`--host\` / \`--port\` default to \`$OPENCLAW_HOST\` / \`$OPENCLAW_PORT\`, else 0.0.0.0:8765. Logs are JSON lines on stderr (\`--log-level\` or \`$OPENCLAW_LOG_LEVEL\`, default info).
    `,
    examples: [
      ['Start with one token', 'OPENCLAW_NODE_TOKEN=$(openssl rand -base64 32) $0 server start'],
      ['Only on this machine, another port', '$0 server start --host 127.0.0.1 --port 9000'],
      ['Tokens from a file', 'OPENCLAW_TOKENS_FILE=/etc/openclaw/tokens.yaml $0 server start'],
    ],
  });

  host = Option.String('--host', {
    description: 'Address to listen on (default: $OPENCLAW_HOST or 0.0.0.0)',
  });
  port = Option.String('--port', {
    description: 'Port (default: $OPENCLAW_PORT or 8765; 0 picks a free one)',
  });
  logLevel = Option.String('--log-level', {
    description: 'fatal, error, warn, info, debug, trace or silent',
  });

  async run(): Promise<number> {
    const env = this.context.env;
    const host = this.host ?? env.OPENCLAW_HOST ?? '0.0.0.0';
    const port = parsePort(
      this.port ?? env.OPENCLAW_PORT ?? '8765',
      this.port === undefined ? 'OPENCLAW_PORT' : '--port',
    );
    const logger = createCliLogger({ level: this.logLevel, env, fallback: 'info', name: 'openclaw-server' });
    const tokens = await loadTokensFromEnv(env);
    if (tokens.length === 0) {
      this.context.stderr.write(
        `CONFIG_INVALID: No API tokens are configured, so the server will not start.\n${TOKEN_HELP}\n`,
      );
      return 1;
    }
    const server = createServer({ host, port, tokens, logger });
    const shutdown = waitForShutdown(this.context);
    try {
      const listening = await server.listen();
      const agentHost =
        host === '0.0.0.0' || host === '::' ? hostname() : listening.url.replace(/^http:\/\/|:\d+$/g, '');
      this.out(
        `OpenClaw server listening on ${listening.url} (${tokens.length} token${tokens.length === 1 ? '' : 's'})\n` +
          `  REST API:  ${listening.url}/api\n` +
          `  agents:    server_url: ws://${agentHost}:${listening.port}/ws\n` +
          'Press Ctrl+C to stop.',
      );
      const reason = await shutdown.done;
      this.out(`Stopping (${reason})…`);
      return 0;
    } finally {
      shutdown.dispose();
      await server.close();
    }
  }
}
