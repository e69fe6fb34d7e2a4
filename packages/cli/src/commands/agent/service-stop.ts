import { Command, Option, UsageError } from '../../clipanion.js';
import { AgentServiceCommand } from './service-command.js';

/** `openclaw agent service-stop`: stop the agent service until the next login or service-start. */
export class AgentServiceStopCommand extends AgentServiceCommand {
  static override paths = [['agent', 'service-stop']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Stop the agent service until the next login',
    details: `
      Stops the running agent service; it starts again at the next login, or with \`openclaw agent service-start\`. To keep it from starting at all, use \`openclaw agent uninstall\`. Applications the agent opened stay open.
    `,
    examples: [
      ['Stop the service', '$0 agent service-stop'],
      ['See what would run', '$0 agent service-stop --dry-run'],
    ],
  });

  dryRun = Option.Boolean('--dry-run', false, { description: 'Print the commands; run nothing' });

  async run(): Promise<number> {
    const { applyServicePlan, describeServicePlan, serviceStatus } = await this.agent();
    const local = await this.localPlan();
    if (this.dryRun) {
      this.out(describeServicePlan(local.plan, 'stop'));
      return 0;
    }
    this.requireNative(local);
    const run = await this.runner();
    const before = await serviceStatus(local.plan, { run });
    if (!before.installed) {
      throw new UsageError(`${local.plan.label} is not installed: there is nothing to stop`);
    }
    if (!before.running) {
      this.out(`${local.plan.label} is not running (${before.detail}).`);
      return 0;
    }
    await applyServicePlan(local.plan, 'stop', { run });
    this.out(
      `Stopped ${local.plan.label}. It starts again at the next login or with openclaw agent service-start.`,
    );
    return 0;
  }
}
