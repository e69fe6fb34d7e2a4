import { displayArgv } from './display-argv.js';
import type { ServicePlan } from './service-plan.js';
import { serviceSteps, type ApplyAction, type ServiceStep } from './service-steps.js';

function mode(bits: number): string {
  return bits.toString(8).padStart(3, '0');
}

function describeStep(plan: ServicePlan, step: ServiceStep): string[] {
  switch (step.kind) {
    case 'mkdir':
      return [`create folder ${step.directory.path} (mode ${mode(step.directory.mode)})`];
    case 'write': {
      const encoding = step.file.encoding === 'utf16le' ? ', UTF-16LE with BOM' : '';
      const body = step.file.contents.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
      return [
        `write ${step.file.path} (mode ${mode(step.file.mode)}${encoding}):`,
        ...body.map((line) => `    | ${line}`),
      ];
    }
    case 'remove':
      return [`remove ${step.path}`];
    case 'run': {
      const tolerated = step.tolerate
        ? `    (a failure${step.tolerate.exitCodes === 'any' ? '' : ` with exit code ${step.tolerate.exitCodes.join(' or ')}`} is expected when ${step.tolerate.reason})`
        : undefined;
      return [`run   ${displayArgv(plan.platform, step.argv)}`, ...(tolerated ? [tolerated] : [])];
    }
  }
}

/**
 * Render what an action would do, every file in full and every command, as `--dry-run` prints it.
 * @example stdout.write(describeServicePlan(plan, 'install'))
 */
export function describeServicePlan(plan: ServicePlan, action: ApplyAction = 'install'): string {
  const lines = [
    `${action} ${plan.label} (${plan.platform}) — ${plan.definitionPath}`,
    '',
    ...serviceSteps(plan, action).flatMap((step) => describeStep(plan, step)),
    '',
    ...(action === 'install'
      ? [
          `The service runs: ${displayArgv(plan.platform, plan.agentArgv)}`,
          ...plan.notes.map((note) => `- ${note}`),
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}
