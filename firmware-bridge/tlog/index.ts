/**
 * .tlog capture and replay: `TlogWriter` (file, append), `MemoryTlog`, `TlogReader` (async
 * iterator with a skip summary), `encodeTlogRecord`.
 */
export { TlogWriter, MemoryTlog } from './writer.ts';
export type { TlogSink } from './writer.ts';
export { TlogReader, readTlogFile } from './reader.ts';
export type { TlogRecord, TlogSummary } from './reader.ts';
export { encodeTlogRecord, TLOG_TS_BYTES } from './format.ts';
