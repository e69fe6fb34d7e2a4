export { createAgentLog, type AgentLog, type AgentLogOptions } from './agent-log.js';
export { followLog, type FollowLogOptions } from './follow-log.js';
export {
  createAgentLogDestination,
  LOG_FORMATS,
  type AgentLogDestination,
  type AgentLogDestinationOptions,
  type LogFormat,
} from './log-destination.js';
export { defaultLogDir, defaultLogFile, LOG_FILE_NAME, rotatedLogFiles } from './log-paths.js';
export { formatLogLine, levelNumber, parseLogRecord, type FormatLogLineOptions } from './pretty-log-line.js';
export { readLastLogLines, type ReadLastLogLinesOptions } from './read-log.js';
export {
  createRotatingLogFile,
  LOG_ROTATION_DEFAULTS,
  type RotatingLogFile,
  type RotatingLogFileOptions,
} from './rotating-log-file.js';
