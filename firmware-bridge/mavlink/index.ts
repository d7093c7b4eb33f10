/**
 * MAVLink 2 codec over node-mavlink's message classes.
 * - `MavlinkEncoder`: per-link v2 serialiser (own seq, correct truncation, monotonic signing).
 * - `MavlinkDecoder`: v1/v2 stream or datagram parser with CRC, signature and replay checks.
 * - `REGISTRY`, `messageClass`, `ProtocolVersion`: the message set (minimal+common+standard+
 *   ardupilotmega+PROTOCOL_VERSION).
 * - Signing helpers and the CRC, for tools and tests.
 * Message classes themselves come from node-mavlink: `import { common, minimal } from 'node-mavlink'`
 * (re-exported here as `mav`).
 */
export { MavlinkEncoder } from './encoder.ts';
export type { EncoderOptions, SigningConfig } from './encoder.ts';
export { MavlinkDecoder, ReplayTable } from './decoder.ts';
export type { DecodedPacket, DecoderOptions, DecoderSigning, DecoderStats, UnsignedPolicy } from './decoder.ts';
export { REGISTRY, ProtocolVersion, messageClass, messageClassByName, crcExtraOf } from './registry.ts';
export type { MessageClass } from './registry.ts';
export { MavlinkEncodeError, readPayload, writePayload } from './fields.ts';
export { frameCrc, crcAccumulate, computeCrcExtra } from './crc.ts';
export {
  SIGNING_EPOCH_US,
  NEW_STREAM_MAX_LAG,
  SIGNATURE_LENGTH,
  IFLAG_SIGNED,
  signingTimestampFromUnixUs,
  writeSignature,
  signatureMatches,
  computeSignature,
} from './signing.ts';
export * as mav from './messages.ts';
