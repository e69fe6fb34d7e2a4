import { Command, Option } from '../../clipanion.js';
import { AgentServiceCommand } from './service-command.js';

/** `openclaw agent uninstall`: stop the agent service and remove its definition. */
export class AgentUninstallCommand extends AgentServiceCommand {
  static override paths = [['agent', 'uninstall']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: 'Stop the agent service and remove it',
    details: `
      Stops the agent and removes what \`openclaw agent install\` wrote: the systemd user unit (Linux), the LaunchAgent (macOS) or the Scheduled Task (Windows). The config and the logs stay. Applications the agent opened stay open.
    `,
    examples: [
      ['Remove the service', '$0 agent uninstall'],
      ['See what would be removed and run', '$0 agent uninstall --dry-run'],
    ],
  });

  dryRun = Option.Boolean('--dry-run', false, {
    description: 'Print what would be removed and run; change nothing',
  });

  async run(): Promise<number> {
    const { applyServicePlan, describeServicePlan, serviceStatus } = await this.agent();
    const local = await this.localPlan();
    const { plan } = local;
    if (this.dryRun) {
      this.out(describeServicePlan(plan, 'uninstall'));
      return 0;
    }
    this.requireNative(local);
    const run = await this.runner();
    const before = await serviceStatus(plan, { run });
    if (!before.installed) {
      this.out(`${plan.label} is not installed: nothing to do.`);
      return 0;
    }
    await applyServicePlan(plan, 'uninstall', { run });
    this.out(`Uninstalled ${plan.label} (removed ${plan.definitionPath}).`);
    return 0;
  }
}
