import type {
  ServiceAction,
  ServiceDirectory,
  ServiceFile,
  ServicePlan,
  ToleratedFailure,
} from './service-plan.js';
import { toleranceFor } from './service-plan.js';

/** An action that changes the machine (status only reads). */
export type ApplyAction = Exclude<ServiceAction, 'status'>;

/** One thing applyServicePlan does, in order. */
export type ServiceStep =
  | { kind: 'mkdir'; directory: ServiceDirectory }
  | { kind: 'write'; file: ServiceFile }
  | { kind: 'remove'; path: string }
  | { kind: 'run'; argv: string[]; tolerate: ToleratedFailure | undefined };

/**
 * The ordered steps of an action: install writes then runs; uninstall runs, removes the files, then
 * runs the cleanup commands (systemd must reload after its unit file is gone).
 */
export function serviceSteps(plan: ServicePlan, action: ApplyAction): ServiceStep[] {
  const run = (argvs: string[][]): ServiceStep[] =>
    argvs.map((argv) => ({ kind: 'run', argv, tolerate: toleranceFor(plan, action, argv) }));
  switch (action) {
    case 'install':
      return [
        ...plan.directories.map((directory): ServiceStep => ({ kind: 'mkdir', directory })),
        ...plan.files.map((file): ServiceStep => ({ kind: 'write', file })),
        ...run(plan.commands.install),
      ];
    case 'uninstall':
      return [
        ...run(plan.commands.uninstall),
        ...plan.files.map((file): ServiceStep => ({ kind: 'remove', path: file.path })),
        ...run(plan.commands.cleanup),
      ];
    case 'start':
    case 'stop':
    case 'restart':
      return run(plan.commands[action]);
  }
}
