import { shellLine } from '@openclaw-node/core';

/**
 * The lines quickstart prints: each command works exactly as printed in a POSIX shell. `npx --no-install`
 * runs this clone's openclaw and fails instead of fetching the unrelated `openclaw` package from npm.
 */
export function quickstartInstructions(options: {
  url: string;
  token: string;
  nodeId: string;
  examplesDir: string;
  /** Why explorer cannot open windows here (no desktop session), when it cannot. */
  noDesktop?: string;
  /** Where the job history is kept, e.g. `sqlite /repo/.openclaw-data/jobs.sqlite`. */
  jobs?: string;
}): string {
  const { url, token, nodeId, examplesDir } = options;
  const auth = `Authorization: Bearer ${token}`;
  // `--token=…` in one word: a generated token may start with `-`, which a separate word would make an option.
  const client = ['--server', url, `--token=${token}`];
  return [
    `OpenClaw Node is running: a server on ${url} and a local agent (node "${nodeId}", plugin explorer).`,
    `The agent may open paths inside ${examplesDir} only.`,
    ...(options.noDesktop === undefined
      ? []
      : [
          '',
          `No desktop session here: ${options.noDesktop}.`,
          'So explorer.open_folder answers NO_DESKTOP_SESSION; explorer.ping works anyway (marked below),',
          'and every line works from a terminal inside a desktop session.',
        ]),
    '',
    `Token (valid until you stop quickstart): ${token}`,
    '',
    `Dashboard: open ${url}/ in a browser and sign in with the token above.`,
    '',
    'List the nodes:',
    `  ${shellLine(['curl', '-s', '-H', auth, `${url}/api/nodes`])}`,
    `  ${shellLine(['npx', '--no-install', 'openclaw', 'nodes', ...client])}`,
    '',
    'Run actions:',
    `  ${shellLine(['curl', '-s', '-H', auth, '-H', 'Content-Type: application/json', '-d', '{"action":"explorer.ping"}', `${url}/api/nodes/${nodeId}/exec`])}`,
    `  ${shellLine(['npx', '--no-install', 'openclaw', 'exec', nodeId, 'explorer.ping', ...client])}${options.noDesktop === undefined ? '' : '   # works here'}`,
    `  ${shellLine(['npx', '--no-install', 'openclaw', 'exec', nodeId, 'explorer.open_folder', `path=${examplesDir}`, ...client])}${options.noDesktop === undefined ? '' : '   # needs a desktop session'}`,
    '',
    `Every exec is a job${options.jobs ? ` (history: ${options.jobs})` : ''}:`,
    `  ${shellLine(['curl', '-s', '-H', auth, `${url}/api/jobs`])}`,
    `  ${shellLine(['npx', '--no-install', 'openclaw', 'jobs', ...client])}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
