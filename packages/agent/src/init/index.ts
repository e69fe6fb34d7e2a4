export { readExistingConfig, renderConfig, type ExistingConfig } from './config-document.js';
export { runInitWizard, type InitWizardContext, type InitWizardResult } from './init-wizard.js';
export { defaultNodeId, normalizeServerAddress, splitList, type InitValues } from './init-values.js';
export { createClackPrompter, type InitPrompter, type PromptOption, type PromptSpinner } from './prompter.js';
export { nextSteps, runAgentInit, type AgentInitOptions, type AgentInitResult } from './run-agent-init.js';
export {
  connectionError,
  connectionProblem,
  describeConnection,
  verifyConnection,
  type ConnectionCheck,
} from './verify-connection.js';
export { writeConfigFile } from './write-config-file.js';
