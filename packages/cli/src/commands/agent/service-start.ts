import { Command, Option, UsageError } from '../../clipanion.js';
import { AgentServiceCommand } from './service-command.js';

/** `openclaw agent service-start`: start the installed agent service now. */
export class AgentServiceStartCommand extends AgentServiceCommand {
  static override paths = [['agent', 'service-start']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Start the installed agent service',
    details: `
      Starts the agent service that \`openclaw agent install\` set up, for example after fixing the config of an agent that stopped because its token was rejected. On Linux the desktop's DISPLAY and WAYLAND_DISPLAY are copied to the user manager first.

      To run the agent in this terminal instead, use \`openclaw agent start\`.
    `,
    examples: [
      ['Start the service', '$0 agent service-start'],
      ['See what would run', '$0 agent service-start --dry-run'],
    ],
  });

  dryRun = Option.Boolean('--dry-run', false, { description: 'Print the commands; run nothing' });

  async run(): Promise<number> {
    const { applyServicePlan, describeServicePlan, serviceStatus } = await this.agent();
    const local = await this.localPlan();
    if (this.dryRun) {
      this.out(describeServicePlan(local.plan, 'start'));
      return 0;
    }
    this.requireNative(local);
    const run = await this.runner();
    if (!(await serviceStatus(local.plan, { run })).installed) {
      throw new UsageError(`${local.plan.label} is not installed: run openclaw agent install first`);
    }
    this.warn(local.warnings);
    await applyServicePlan(local.plan, 'start', { run });
    const status = await serviceStatus(local.plan, { run });
    this.out(`Started ${local.plan.label}: ${status.detail}. Logs: ${status.logs}`);
    return 0;
  }
}
