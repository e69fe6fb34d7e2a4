/** Everything that shapes a `nuke -x` command line. */
export interface RenderArgsInput {
  script: string;
  /** Write nodes to render (`-X a,b`); empty renders every active Write node. */
  writeNodes: readonly string[];
  /** One `-F` per part, e.g. `['1-10', '20-30x2']`; empty uses the script's range. */
  frameParts: readonly string[];
  proxy: boolean;
  continueOnError: boolean;
  threads?: number | undefined;
  gpu: boolean;
  gpuIndex?: number | undefined;
  views: readonly string[];
  interactiveLicense: boolean;
  nukex: boolean;
}

/**
 * The argv after the executable, in the order APPS.md §3.2 recommends: every switch (each value
 * its own element, every `-F` before the script), then `--`, then the script last.
 * @example buildRenderArgs({ script: '/s.nk', writeNodes: ['Write1'], frameParts: ['1-10'], ... })
 */
export function buildRenderArgs(input: RenderArgsInput): string[] {
  const args = ['-x'];
  if (input.writeNodes.length > 0) args.push('-X', input.writeNodes.join(','));
  for (const part of input.frameParts) args.push('-F', part);
  args.push(input.proxy ? '-p' : '-f');
  if (input.continueOnError) args.push('--cont');
  if (input.threads !== undefined) args.push('-m', String(input.threads));
  if (input.gpu || input.gpuIndex !== undefined) {
    args.push('--gpu');
    if (input.gpuIndex !== undefined) args.push(String(input.gpuIndex));
  }
  if (input.views.length > 0) args.push('--view', input.views.join(','));
  args.push('-V', '2');
  if (input.interactiveLicense) args.push('-i');
  if (input.nukex) args.push('--nukex');
  args.push('--', input.script);
  return args;
}
