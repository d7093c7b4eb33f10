export { dorVsUsers as default } from './dor.ts';
