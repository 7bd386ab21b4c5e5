import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { version: string };

/** The agent's version, from its package.json, reported in every status and batch. */
export const AGENT_VERSION: string = pkg.version;
