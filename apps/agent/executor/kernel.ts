/** The compute kernel (see kernel.mjs: plain JavaScript so worker threads need no TypeScript loader). */
export { runKernel } from './kernel.mjs';
