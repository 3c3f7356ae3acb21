import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The real reference servers from npm (devDependencies), started with this Node. */
export const FILESYSTEM_SERVER = require.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
export const EVERYTHING_SERVER = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");

export function filesystemUpstream(folder: string) {
  return { command: process.execPath, args: [FILESYSTEM_SERVER, folder] };
}

export function everythingUpstream() {
  return { command: process.execPath, args: [EVERYTHING_SERVER, "stdio"] };
}
