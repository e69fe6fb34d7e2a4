export {
  AGENT_TOKEN,
  OPERATOR_TOKEN,
  TOKEN,
  api,
  exec,
  memoryLogger,
  startServer,
  waitFor,
  type ApiResponse,
  type Json,
  type TestServer,
} from './test-server.js';
export {
  FakeAgent,
  connectAgent,
  helloFor,
  openAgentSocket,
  type AgentSocket,
  type ExecBehaviour,
  type FakeAgentOptions,
} from './fake-agent.js';
export { toolsManifest, windowsOnlyManifest } from './manifests.js';
