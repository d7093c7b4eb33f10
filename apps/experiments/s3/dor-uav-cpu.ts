export { dorVsUavCpu as default } from './dor.ts';
