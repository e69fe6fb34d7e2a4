import { Command, Option } from '../../clipanion.js';
import { AgentServiceCommand } from './service-command.js';

/** LSB-style exit codes of `openclaw agent status`, as `systemctl status` uses them. */
const STATUS_EXIT = { running: 0, stopped: 3, missing: 4 } as const;

/** `openclaw agent status`: is the agent service installed and running. */
export class AgentStatusCommand extends AgentServiceCommand {
  static override paths = [['agent', 'status']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Show whether the agent service is installed and running',
    details: `
      Asks the service manager (\`systemctl --user show\`, \`launchctl print\`, \`schtasks /Query\`) and prints whether the agent is installed, running (with its pid where the OS tells it), why it last stopped, and where its log is.

      Exits 0 when the agent is running, 3 when it is installed but not running, 4 when it is not installed.
    `,
    examples: [
      ['Show the status', '$0 agent status'],
      ['As JSON, for scripts', '$0 agent status --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the status as JSON' });

  async run(): Promise<number> {
    const { serviceStatus } = await this.agent();
    const local = await this.localPlan();
    this.requireNative(local);
    const status = await serviceStatus(local.plan, { run: await this.runner() });
    this.out(this.json ? JSON.stringify(status, null, 2) : this.renderStatus(status));
    if (status.running) return STATUS_EXIT.running;
    return status.installed ? STATUS_EXIT.stopped : STATUS_EXIT.missing;
  }
}
