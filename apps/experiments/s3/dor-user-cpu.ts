export { dorVsUserCpu as default } from './dor.ts';
