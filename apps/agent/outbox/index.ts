/**
 * The agent's outbox: a bounded, crash-safe on-disk FIFO of messages to publish.
 * - `openOutbox(dir, limits) → Result<Outbox>`; `Outbox.append(topic, bytes, cls?)`, `peek`, `ack`,
 *   `drain(send)`, `stats`, `close`. Drop policy: oldest telemetry first, completions never.
 * - Record codec: `encodeRecord`, `decodeRecord` (CRC-32 framed).
 */
export { openOutbox, type Outbox, type OutboxLimits, type OutboxMessage, type OutboxStats, type AppendFailure } from './outbox.ts';
export { encodeRecord, decodeRecord, type MessageClass, type DecodedRecord } from './record.ts';
