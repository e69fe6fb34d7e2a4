/**
 * A simulator process: thousands of SimAgents in one Node process, driven by its parent over the
 * fork IPC channel (`start`, `stop`), reporting summed counters every 200 ms.
 */
import { SimAgent, type SwarmCounters } from './sim-agent.js';
import type { ChildMessage, ParentMessage, SwarmConfig, SwarmProgress } from './swarm-messages.js';

const MAX_ERRORS = 8;
const errors: string[] = [];
const counters: SwarmCounters = {
  registered: 0,
  connected: 0,
  hellos: 0,
  connectErrors: 0,
  helloFailures: 0,
  disconnects: 0,
  giveUps: 0,
  execs: 0,
  maxDelayMs: 0,
  noteError: (message) => {
    if (errors.length < MAX_ERRORS && !errors.includes(message)) errors.push(message);
  },
};
const agents: SimAgent[] = [];

function snapshot(): SwarmProgress {
  const { noteError: _note, ...numbers } = counters;
  return { ...numbers, errors: [...errors] };
}

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

async function start(config: SwarmConfig): Promise<void> {
  for (const serverUrl of [config.serverUrl, ...(config.moreServerUrls ?? [])]) {
    for (let i = 0; i < config.count; i++) {
      agents.push(new SimAgent(`${config.idPrefix}${config.first + i}`, { ...config, serverUrl }, counters));
    }
  }
  // The ramp: a bounded number of first connects in flight, so the figure is the server's pace.
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < agents.length) await agents[next++]!.start();
  };
  await Promise.all(Array.from({ length: Math.max(1, config.rampInFlight) }, lane));
}

let last = '';
const reporter = setInterval(() => {
  const progress = snapshot();
  const key = JSON.stringify(progress);
  if (key !== last) send({ type: 'progress', progress });
  last = key;
}, 200);

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      start(message.config).catch((error: unknown) =>
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'stop':
      for (const agent of agents) agent.stop();
      clearInterval(reporter);
      send({ type: 'stopped', progress: snapshot() });
      // Let the close frames go out, then leave.
      setTimeout(() => process.exit(0), 200).unref();
      break;
  }
});
send({ type: 'ready' });
// Orphaned (the parent died): leave rather than hold thousands of sockets.
process.on('disconnect', () => process.exit(0));
