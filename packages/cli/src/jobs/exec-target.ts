import { PLATFORMS, type ExecTargetSelector, type Platform } from '@openclaw-node/core';
import { UsageError } from '../clipanion.js';

/** The fan-out flags of `openclaw exec`. */
export interface TargetFlags {
  all: boolean;
  nodes: string | undefined;
  tags: string | undefined;
  platform: string | undefined;
  plugin: string | undefined;
}

/** The fan-out target the flags name, or undefined when none is given (one node, by positional id). */
export function parseTarget(flags: TargetFlags): ExecTargetSelector | undefined {
  const target: ExecTargetSelector = {};
  if (flags.nodes !== undefined) target.nodes = list(flags.nodes, '--nodes');
  if (flags.tags !== undefined) target.tags = list(flags.tags, '--tags');
  if (flags.platform !== undefined) {
    if (!(PLATFORMS as readonly string[]).includes(flags.platform)) {
      throw new UsageError(
        `--platform must be one of ${PLATFORMS.join(', ')}, got ${JSON.stringify(flags.platform)}`,
      );
    }
    target.platform = flags.platform as Platform;
  }
  if (flags.plugin !== undefined) target.plugin = flags.plugin;
  if (Object.keys(target).length === 0) return flags.all ? { all: true } : undefined;
  if (flags.all)
    throw new UsageError('--all means every node: leave out --nodes, --tags, --platform and --plugin');
  return target;
}

function list(text: string, flag: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} takes a comma-separated list, e.g. ${flag} comp,gpu`);
  return [...new Set(items)];
}
