/** The agent's settings: the original project's node_config.yaml keys, plus `tags`. */
export interface AgentConfig {
  /** How the server and scripts name this workstation (`/api/nodes/<node_id>`). */
  node_id: string;
  /** `ws://server:8765/ws`; the path part is the Socket.IO path. */
  server_url: string;
  auth_token: string;
  /** Plugins to load: built-in names, npm package names or absolute paths, e.g. `[explorer, rv, "@studio/openclaw-plugin-houdini"]`. */
  plugins: string[];
  /** Absolute folders searched for plugin packages (`<dir>/node_modules/<name>` or `<dir>/<name>`) after the agent's own install. */
  plugin_dirs: string[];
  /** Absolute folders that `format: "path"` params must resolve inside; empty allows no path. */
  allowed_paths: string[];
  /** Per-plugin settings, handed to that plugin's handlers as `ctx.config`. */
  plugin_config: Record<string, Record<string, unknown>>;
  /** Seconds; accepted for compatibility (Socket.IO ping/pong does the liveness check). */
  heartbeat_interval: number;
  /** Seconds between capability health checks (each plugin's `ping`); 0 checks only at start. */
  health_interval: number;
  /** Jobs that run at once on this node (1-64). */
  max_concurrent_jobs: number;
  /** Jobs that may wait beyond max_concurrent_jobs (0-1000); past it the server gets NODE_BUSY. */
  max_queued_jobs: number;
  /** Free-form labels advertised to the server (`gpu`, `comp`, `floor-2`). */
  tags: string[];
  /** A PEM file of CA certificates trusted for the server's certificate (a private studio CA), besides the system's. */
  ca?: string;
}

export const NODE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
const TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$';

/** JSON Schema of node_config.yaml after `${VAR}` expansion; unknown keys are allowed (warned). */
export const AGENT_CONFIG_SCHEMA = {
  type: 'object',
  required: ['server_url', 'auth_token'],
  properties: {
    node_id: { type: 'string', pattern: NODE_ID_PATTERN },
    server_url: { type: 'string', minLength: 1, maxLength: 2048 },
    auth_token: { type: 'string', minLength: 1, maxLength: 4096 },
    plugins: {
      type: 'array',
      maxItems: 64,
      items: { type: 'string', minLength: 1, maxLength: 512 },
    },
    plugin_dirs: {
      type: 'array',
      maxItems: 32,
      items: { type: 'string', minLength: 1, maxLength: 4096 },
    },
    allowed_paths: {
      type: 'array',
      maxItems: 256,
      items: { type: 'string', minLength: 1, maxLength: 4096 },
    },
    plugin_config: {
      type: 'object',
      additionalProperties: { type: 'object' },
    },
    heartbeat_interval: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    health_interval: { type: 'number', minimum: 0, maximum: 86_400 },
    max_concurrent_jobs: { type: 'integer', minimum: 1, maximum: 64 },
    max_queued_jobs: { type: 'integer', minimum: 0, maximum: 1000 },
    ca: { type: 'string', minLength: 1, maxLength: 4096 },
    tags: {
      type: 'array',
      maxItems: 64,
      items: { type: 'string', pattern: TAG_PATTERN },
    },
  },
} as const;

export const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(AGENT_CONFIG_SCHEMA.properties));

/** How to fix each field, appended to its error message. */
export const CONFIG_FIX_HINTS: Record<string, string> = {
  node_id:
    'node_id names this workstation: 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. node_id: ws-042',
  server_url: 'e.g. server_url: ws://pipeline-server:8765/ws',
  auth_token:
    'set auth_token to the token the server gave this node, e.g. auth_token: ${OPENCLAW_NODE_TOKEN} to read it from the environment',
  plugins:
    'plugins is a list of built-in plugin names, npm package names or absolute paths, e.g. plugins: [explorer, rv, "@studio/openclaw-plugin-houdini"]',
  plugin_dirs:
    'plugin_dirs is a list of absolute folders holding plugin packages, e.g. plugin_dirs: [/opt/openclaw-plugins]',
  allowed_paths:
    'allowed_paths is a list of absolute folders, e.g. allowed_paths: [/mnt/projects] or ["P:\\\\projects"]',
  plugin_config:
    'plugin_config maps a plugin name to its settings, e.g. plugin_config: { rv: { path: /opt/rv/bin/rv } }',
  heartbeat_interval: 'heartbeat_interval is a number of seconds, e.g. heartbeat_interval: 30',
  health_interval:
    'health_interval is how often, in seconds, the agent re-checks which plugins can run: 0 (only at start) or 10 to 86400, e.g. health_interval: 300',
  max_concurrent_jobs:
    'max_concurrent_jobs is how many jobs run at once on this node, a whole number from 1 to 64, e.g. max_concurrent_jobs: 4',
  max_queued_jobs:
    'max_queued_jobs is how many more jobs may wait for a free slot, a whole number from 0 to 1000, e.g. max_queued_jobs: 32',
  ca: 'ca is the absolute path of a PEM file holding your studio CA certificate, e.g. ca: /etc/openclaw/studio-ca.pem',
  tags: 'tags is a list of short labels (letters, digits, ".", "_", ":", "/", "=", "-"), e.g. tags: [comp, gpu]',
};

export const CONFIG_DEFAULTS = {
  plugins: [] as string[],
  plugin_dirs: [] as string[],
  allowed_paths: [] as string[],
  heartbeat_interval: 30,
  health_interval: 300,
  max_concurrent_jobs: 4,
  max_queued_jobs: 32,
  tags: [] as string[],
};
