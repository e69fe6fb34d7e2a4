// A server process of a cluster in a child process of the test: it can be frozen with SIGSTOP
// (alive, its sockets open, unable to answer), and it runs on its own event loop, as a real second
// server does, so that messages between processes can arrive in any order.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClusterSettings } from '../../src/index.js';
import { waitFor } from '@openclaw-node/test-support/server';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The child: a test server on the cluster (and, when asked, an agent of its own), driven over IPC. */
const CHILD = `
import { connectAgent, startServer } from '@openclaw-node/test-support/server';
const { server: options, agentNodeId } = JSON.parse(process.env.OC_CHILD_SERVER);
const server = await startServer(options);
const agent = agentNodeId ? await connectAgent(server.url, { nodeId: agentNodeId }) : undefined;
process.send({ url: server.url });
process.on('message', (message) => {
  if (message === 'close') {
    agent?.close();
    void server.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(1));
`;

export interface ChildServer {
  url: string;
  pid: number;
  /** SIGSTOP, and wait until the kernel says the process is stopped. */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

const children: ChildServer[] = [];

/** Stop every child server started so far (afterEach). */
export async function stopChildServers(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => c.stop()));
}

function processState(pid: number): string | undefined {
  try {
    // "pid (comm) S ...": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Start `processId` on the cluster in a child process; with `agentNodeId`, an answering agent connects to it there. */
export async function startChildServer(
  redis: string,
  keyPrefix: string,
  processId: string,
  cluster: Partial<ClusterSettings>,
  agentNodeId?: string,
): Promise<ChildServer> {
  const options = { store: 'redis', cluster: { redis, keyPrefix, processId, ...cluster } };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', '--input-type=module', '-e', CHILD],
    {
      cwd: ROOT,
      env: { ...process.env, OC_CHILD_SERVER: JSON.stringify({ server: options, agentNodeId }) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code, signal) =>
      reject(new Error(`the child server exited (${code ?? signal}): ${stderr.slice(-2000)}`)),
    );
  });
  const pid = child.pid!;
  const server: ChildServer = {
    url,
    pid,
    async pause() {
      process.kill(pid, 'SIGSTOP');
      await waitFor(() => (processState(pid) === 'T' ? true : undefined), `process ${pid} stopped`);
    },
    resume() {
      process.kill(pid, 'SIGCONT');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGCONT');
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  children.push(server);
  return server;
}
