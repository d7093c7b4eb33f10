// Entry of the WorkerExecutor's threads. Node 20 ignores `--import tsx` in a Worker's execArgv
// for the entry module, so this plain-JS entry registers tsx in the thread, then loads worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
