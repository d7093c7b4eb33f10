#!/usr/bin/env node
// Entry point of the `uavmec` command: runs the TypeScript sources directly through tsx,
// so `npx uavmec …` works from a checkout with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/cli/main.ts');
const code = await main(process.argv.slice(2));
// A failed start may leave a socket or timer behind: exit with the code rather than hang.
if (code !== 0) process.exit(code);
