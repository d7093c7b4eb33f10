/**
 * Run reports and log tools: `reportData` (run folder → what the report shows), `renderReport`
 * (one or two runs → a self-contained HTML page), `writeReport` (run dirs → file), and the tlog
 * summary (`summariseTlog`, `formatTlogSummary`).
 */
export { reportData, type ReportData, type SlotRow, type TrackPoint, type CoalitionCell } from './data.ts';
export { renderReport } from './html.ts';
export { mapSvg, coalitionSvg } from './svg-map.ts';
export { writeReport } from './write.ts';
export { summariseTlog, formatTlogSummary, type TlogFlightSummary, type VehicleFlight } from './tlog-summary.ts';
