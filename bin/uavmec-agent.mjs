#!/usr/bin/env node
// `uavmec-agent` from a checkout (TypeScript through tsx). The agent package built by
// `npm run pack:agent` ships its own bin that runs the compiled JavaScript with plain node.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/cli/agent-main.ts');
process.exitCode = await main(process.argv.slice(2));
