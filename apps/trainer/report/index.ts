/** Report graphics: `lineChartSvg(title, xLabel, yLabel, series)` and `movingAverage(ys, window)`. */
export { lineChartSvg, movingAverage, type Series } from './svg.ts';
