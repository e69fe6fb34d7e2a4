import { shellLine } from '@openclaw-node/core';

/** The lines quickstart prints: each command works exactly as printed in a POSIX shell. */
export function quickstartInstructions(options: {
  url: string;
  token: string;
  nodeId: string;
  examplesDir: string;
  /** Where the job history is kept, e.g. `sqlite /repo/.openclaw-data/jobs.sqlite`. */
  jobs?: string;
}): string {
  const { url, token, nodeId, examplesDir } = options;
  const auth = `Authorization: Bearer ${token}`;
  const client = ['--server', url, '--token', token];
  return [
    `OpenClaw Node is running: a server on ${url} and a local agent (node "${nodeId}", plugin explorer).`,
    `The agent may open paths inside ${examplesDir} only.`,
    '',
    `Token (valid until you stop quickstart): ${token}`,
    '',
    'List the nodes:',
    `  ${shellLine(['curl', '-s', '-H', auth, `${url}/api/nodes`])}`,
    `  ${shellLine(['npx', 'openclaw', 'nodes', ...client])}`,
    '',
    'Run actions:',
    `  ${shellLine(['curl', '-s', '-H', auth, '-H', 'Content-Type: application/json', '-d', '{"action":"explorer.ping"}', `${url}/api/nodes/${nodeId}/exec`])}`,
    `  ${shellLine(['npx', 'openclaw', 'exec', nodeId, 'explorer.ping', ...client])}`,
    `  ${shellLine(['npx', 'openclaw', 'exec', nodeId, 'explorer.open_folder', `path=${examplesDir}`, ...client])}`,
    '',
    `Every exec is a job${options.jobs ? ` (history: ${options.jobs})` : ''}:`,
    `  ${shellLine(['curl', '-s', '-H', auth, `${url}/api/jobs`])}`,
    `  ${shellLine(['npx', 'openclaw', 'jobs', ...client])}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
