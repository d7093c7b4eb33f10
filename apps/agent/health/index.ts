/**
 * Agent process health (the 1 Hz `Health` message).
 * - `HealthMeter`: `recordInferenceUs(us)`, `sample() → { cpuPct?, rssBytes, inferenceP50Us?, inferenceP99Us? }`.
 * - Pure helpers: `quantile(xs, q)`, `cpuPercent(prev, now)`.
 */
export { HealthMeter, quantile, cpuPercent, type HealthSample } from './health.ts';
