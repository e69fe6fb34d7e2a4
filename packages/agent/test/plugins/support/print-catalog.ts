// Run as a child process (node --import tsx --conditions=@openclaw-node/source): loads a catalog with
// Node's own module resolution, which is what an installed agent meets, and prints it as JSON.
import { pino } from 'pino';
import { createPluginSources, loadPluginCatalog } from '../../../src/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  entries: string[];
  pluginDirs: string[];
  searchFrom: string[];
};
const catalog = await loadPluginCatalog({
  entries: options.entries,
  sources: createPluginSources({
    registry: {},
    pluginDirs: options.pluginDirs,
    searchFrom: options.searchFrom,
  }),
  platform: 'linux',
  logger: pino({ level: 'silent' }),
});
process.stdout.write(
  JSON.stringify({
    plugins: [...catalog.plugins.values()].map((plugin) => ({
      name: plugin.name,
      version: plugin.manifest.version,
      from: plugin.from,
    })),
    skipped: catalog.skipped,
  }),
);
