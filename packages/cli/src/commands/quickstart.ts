import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agent } from '@openclaw-node/agent';
import { OpenClawError, toPlatform } from '@openclaw-node/core';
import { Command, Option } from '../clipanion.js';
import { createCliLogger } from '../logger.js';
import { resolveStoreFlags } from '../jobs/store-flags.js';
import { findExamplesDir } from '../quickstart/examples-dir.js';
import { quickstartInstructions } from '../quickstart/instructions.js';
import { waitForShutdown } from '../shutdown.js';
import { OpenClawCommand } from './openclaw-command.js';
import { parsePort } from './parse-port.js';
import { importServer } from '../server-module.js';
import { explainListenError } from './port-in-use.js';

const NODE_ID = 'local';

/** `openclaw quickstart` (`npm start`): a server and a local agent in one process, with a fresh token. */
export class QuickstartCommand extends OpenClawCommand {
  static override paths = [['quickstart']];

  static override usage = Command.Usage({
    description: 'Try it out: a local server and agent with a fresh token',
    details: `
      Starts a server on 127.0.0.1 and, in the same process, an agent named \`local\` with the explorer plugin, allowed to open the repository's \`examples/\` folder. Prints a token and commands to try (curl and openclaw), then runs until Ctrl+C.
    `,
    examples: [
      ['Start', '$0 quickstart'],
      ['On another port', '$0 quickstart --port 9000'],
    ],
  });

  port = Option.String('--port', '8765', { description: 'Port on 127.0.0.1 (default 8765)' });
  store = Option.String('--store', { description: 'Job history: sqlite (default) or memory' });
  dataDir = Option.String('--data-dir', {
    description: 'Folder of the job history (default: .openclaw-data in the repository)',
  });
  logLevel = Option.String('--log-level', {
    description: 'Log level of the server and agent (default warn)',
  });

  async run(): Promise<number> {
    // Loaded here, not at the top: client commands (exec, jobs, nodes…) must not pay for these.
    const [{ checkDesktopSession, createAgent, resolveAgentConfig }, { createServer, tuneProcessForServer }] =
      await Promise.all([import('@openclaw-node/agent'), importServer()]);
    tuneProcessForServer();
    const env = this.context.env;
    const port = parsePort(this.port, '--port');
    const logger = await createCliLogger({
      level: this.logLevel,
      env,
      fallback: 'warn',
      name: 'openclaw-quickstart',
    });
    const token = randomBytes(24).toString('base64url');
    const found = findExamplesDir(fileURLToPath(import.meta.url));
    const examplesDir = found ?? process.cwd();
    // In a checkout the history stays beside it (gitignored); installed, in the per-OS data folder.
    const jobs = await resolveStoreFlags(
      { store: this.store, dataDir: this.dataDir },
      env,
      found ? path.join(path.dirname(found), '.openclaw-data') : undefined,
    );
    const server = createServer({
      host: '127.0.0.1',
      port,
      tokens: [{ name: 'quickstart', token }],
      logger,
      store: jobs.store,
      dataDir: jobs.dataDir,
    });
    const shutdown = waitForShutdown(this.context);
    let agent: Agent | undefined;
    try {
      const { url, port: actual } = await server.listen().catch((error: unknown) => {
        throw explainListenError(error, { port, command: 'quickstart', env });
      });
      const config = resolveAgentConfig(
        {
          node_id: NODE_ID,
          server_url: `ws://127.0.0.1:${actual}/ws`,
          auth_token: token,
          plugins: ['explorer'],
          allowed_paths: [examplesDir],
        },
        { env: {}, source: 'quickstart' },
      );
      agent = createAgent({ config, logger });
      agent.start();
      const first = await Promise.race([agent.ready.then(() => null), agent.stopped]);
      if (first !== null)
        throw new OpenClawError(first.code ?? 'INTERNAL_ERROR', `the local agent stopped: ${first.message}`);
      // The in-process agent's explorer opens windows with this process's environment.
      const session = checkDesktopSession({
        platform: toPlatform(process.platform) ?? 'linux',
        env: process.env,
        plugins: ['explorer'],
      });
      const noDesktop =
        session !== null && (session.status === 'fail' || process.platform === 'darwin')
          ? session.detail
          : undefined;
      this.out(
        quickstartInstructions({
          url,
          token,
          nodeId: NODE_ID,
          examplesDir,
          jobs: jobs.description,
          ...(noDesktop !== undefined ? { noDesktop } : {}),
        }),
      );
      const outcome = await Promise.race([shutdown.done.then(() => null), agent.stopped]);
      if (outcome !== null && outcome.code !== null) {
        throw new OpenClawError(outcome.code, `the local agent stopped: ${outcome.message}`);
      }
      this.out('Stopping…');
      return 0;
    } finally {
      shutdown.dispose();
      await agent?.stop();
      await server.close();
    }
  }
}
