#!/usr/bin/env node
// `uavmec-agent` from a checkout (TypeScript through tsx). The agent package built by
// `npm run pack:agent` ships its own bin that runs the compiled JavaScript with plain node.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/cli/agent-main.ts');
const code = await main(process.argv.slice(2));
// A failed start may leave a socket or timer behind: exit with the code rather than hang.
if (code !== 0) process.exit(code);
