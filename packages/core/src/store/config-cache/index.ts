export {
  announceConfigWrites,
  CACHED_TABLES,
  type CachedConfigReads,
  type ConfigQueries,
  cachedConfigReads,
} from "./cached-config-reads.ts";
export { type CachedTable, type ConfigCache, createConfigCache } from "./config-cache.ts";
