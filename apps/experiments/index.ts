/**
 * Experiments: paper-figure reproductions run by `uavmec experiment`.
 * - `registry.ts`: `Experiment`, `ExperimentOptions`, `EXPERIMENTS`, `lazy`, `findExperiment`
 * - `csv.ts`: `toCsv`, `writeCsv`, `writeText`
 * - `plot/svg.ts`: `lineChart`, `barChart` (dependency-free SVG); `plot/ticks.ts`: `niceTicks`
 */
export type { Experiment, ExperimentOptions, ExperimentRun } from './registry.ts';
export { EXPERIMENTS, findExperiment, lazy } from './registry.ts';
export { toCsv, writeCsv, writeText, type CsvValue } from './csv.ts';
export { lineChart, barChart, escapeXml, type LineChartSpec, type LineSeries, type BarChartSpec, type BarSeries } from './plot/svg.ts';
export { niceTicks, niceStep, formatTick, type Ticks } from './plot/ticks.ts';
