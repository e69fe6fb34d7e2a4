import { chmod, mkdir, rename, rm, writeFile as fsWriteFile } from 'node:fs/promises';
import path from 'node:path';
import { OpenClawError } from '@openclaw-node/core';
import { hintForFailure } from './command-hints.js';
import { runServiceCommand } from './command-runner.js';
import { displayArgv } from './display-argv.js';
import type {
  CommandResult,
  CommandRunner,
  ServiceDirectory,
  ServiceFile,
  ServicePlan,
} from './service-plan.js';
import { serviceSteps, type ApplyAction, type ServiceStep } from './service-steps.js';

/** How applyServicePlan touches the machine; every part can be replaced (tests, dry runs). */
export interface ApplyServicePlanOptions {
  /** Change nothing: return the steps that would run. */
  dryRun?: boolean;
  run?: CommandRunner;
  writeFile?: (file: ServiceFile) => Promise<void>;
  makeDirectory?: (directory: ServiceDirectory) => Promise<void>;
  removeFile?: (filePath: string) => Promise<void>;
  /** Called after each step completes (or would have, in a dry run). */
  onStep?: (step: ServiceStep, result?: CommandResult) => void;
}

/** What applyServicePlan did. */
export interface ApplyServicePlanResult {
  action: ApplyAction;
  dryRun: boolean;
  steps: ServiceStep[];
  /** The output of each command that ran, in order. */
  results: Array<{ argv: string[]; result: CommandResult; tolerated: boolean }>;
}

/** Write a service file atomically (temp file, then rename) with its mode and encoding. */
export async function writeServiceFile(file: ServiceFile): Promise<void> {
  await mkdir(path.dirname(file.path), { recursive: true });
  const bytes =
    file.encoding === 'utf16le'
      ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.contents, 'utf16le')])
      : Buffer.from(file.contents, 'utf8');
  const temp = `${file.path}.${process.pid}.tmp`;
  try {
    await fsWriteFile(temp, bytes, { mode: file.mode });
    await chmod(temp, file.mode);
    await rename(temp, file.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function makeServiceDirectory(directory: ServiceDirectory): Promise<void> {
  await mkdir(directory.path, { recursive: true, mode: directory.mode });
}

async function removeServiceFile(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
}

/**
 * Carry out one action of a plan: create folders, write files and run its commands in order,
 * through an injected runner (default: execa with argument arrays). Throws SERVICE_COMMAND_FAILED
 * at the first command that fails unexpectedly, with what already completed in `details.completed`.
 * @example await applyServicePlan(planServiceInstall(options), 'install', { dryRun: false })
 */
export async function applyServicePlan(
  plan: ServicePlan,
  action: ApplyAction,
  options: ApplyServicePlanOptions = {},
): Promise<ApplyServicePlanResult> {
  const steps = serviceSteps(plan, action);
  const dryRun = options.dryRun ?? false;
  const outcome: ApplyServicePlanResult = { action, dryRun, steps, results: [] };
  if (dryRun) {
    for (const step of steps) options.onStep?.(step);
    return outcome;
  }
  const run = options.run ?? runServiceCommand;
  const writeFile = options.writeFile ?? writeServiceFile;
  const makeDirectory = options.makeDirectory ?? makeServiceDirectory;
  const removeFile = options.removeFile ?? removeServiceFile;
  const completed: string[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'mkdir':
        await makeDirectory(step.directory);
        completed.push(`mkdir ${step.directory.path}`);
        options.onStep?.(step);
        break;
      case 'write':
        await writeFile(step.file);
        completed.push(`write ${step.file.path}`);
        options.onStep?.(step);
        break;
      case 'remove':
        await removeFile(step.path);
        completed.push(`remove ${step.path}`);
        options.onStep?.(step);
        break;
      case 'run': {
        const result = await run(step.argv);
        const failed = result.exitCode !== 0;
        const tolerated =
          failed &&
          step.tolerate !== undefined &&
          (step.tolerate.exitCodes === 'any' || step.tolerate.exitCodes.includes(result.exitCode));
        outcome.results.push({ argv: step.argv, result, tolerated });
        options.onStep?.(step, result);
        if (failed && !tolerated) throw commandFailed(plan, action, step.argv, result, completed);
        completed.push(`run ${displayArgv(plan.platform, step.argv)}`);
        break;
      }
    }
  }
  return outcome;
}

function commandFailed(
  plan: ServicePlan,
  action: ApplyAction,
  argv: string[],
  result: CommandResult,
  completed: string[],
): OpenClawError {
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
  const hint = hintForFailure(plan.platform, argv, result);
  const message = [
    `${action} failed: \`${displayArgv(plan.platform, argv)}\` exited with code ${result.exitCode}`,
    output === '' ? undefined : output,
    hint,
  ]
    .filter((part) => part !== undefined)
    .join('\n');
  return new OpenClawError('SERVICE_COMMAND_FAILED', message, {
    details: {
      field: null,
      action,
      command: argv,
      exitCode: result.exitCode,
      output,
      completed,
      ...(hint ? { hint } : {}),
    },
  });
}
