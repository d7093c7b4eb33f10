/**
 * The message registry the bridge and SITL speak: node-mavlink's minimal + common + standard
 * (AUTOPILOT_VERSION lives there, MAVLINK.md §8 pitfall 2) + ardupilotmega, plus PROTOCOL_VERSION
 * (300), which mavlink-mappings lacks (pitfall 3), as a custom class with CRC_EXTRA 217.
 */
import {
  MavLinkData,
  MavLinkPacketField,
  MSG_ID_MAGIC_NUMBER,
  registerCustomMessageMagicNumber,
  minimal,
  common,
  standard,
  ardupilotmega,
} from 'node-mavlink';
import type { MavLinkDataConstructor, MavLinkPacketRegistry } from 'node-mavlink';

/**
 * PROTOCOL_VERSION (300): version and capability handshake (common.xml). Wire order (sorted by
 * type size): version, min_version, max_version (uint16), spec_version_hash[8],
 * library_version_hash[8] (uint8); length 22, CRC_EXTRA 217 (MAVLINK.md §8 pitfall 3).
 */
export class ProtocolVersion extends MavLinkData {
  static override MSG_ID = 300;
  static override MSG_NAME = 'PROTOCOL_VERSION';
  static override PAYLOAD_LENGTH = 22;
  static override MAGIC_NUMBER = 217;
  static override FIELDS = [
    new MavLinkPacketField('version', 'version', 0, false, 2, 'uint16_t', ''),
    new MavLinkPacketField('min_version', 'minVersion', 2, false, 2, 'uint16_t', ''),
    new MavLinkPacketField('max_version', 'maxVersion', 4, false, 2, 'uint16_t', ''),
    new MavLinkPacketField('spec_version_hash', 'specVersionHash', 6, false, 1, 'uint8_t[]', '', 8),
    new MavLinkPacketField('library_version_hash', 'libraryVersionHash', 14, false, 1, 'uint8_t[]', '', 8),
  ];
  version = 0;
  minVersion = 0;
  maxVersion = 0;
  specVersionHash: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  libraryVersionHash: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
}

// node-mavlink's own splitter consults this table; register 300 there too (idempotently) so
// anyone using node-mavlink streams directly does not drop PROTOCOL_VERSION.
if (MSG_ID_MAGIC_NUMBER['300'] === undefined) registerCustomMessageMagicNumber('300', 217);

export type MessageClass = MavLinkDataConstructor<MavLinkData>;

/** msgid → class. */
export const REGISTRY: Readonly<MavLinkPacketRegistry> = Object.freeze({
  ...minimal.REGISTRY,
  ...common.REGISTRY,
  ...standard.REGISTRY,
  ...ardupilotmega.REGISTRY,
  300: ProtocolVersion as unknown as MessageClass,
});

const BY_NAME = new Map<string, MessageClass>(Object.values(REGISTRY).map((c) => [c.MSG_NAME, c]));

export function messageClass(msgid: number): MessageClass | undefined {
  return REGISTRY[msgid];
}

export function messageClassByName(name: string): MessageClass | undefined {
  return BY_NAME.get(name);
}

/**
 * CRC_EXTRA for `msgid`: from the registry, else from mavlink-mappings' table of every dialect it
 * knows (so packets of other dialects are still CRC-checked), else undefined.
 */
export function crcExtraOf(msgid: number): number | undefined {
  const c = REGISTRY[msgid];
  if (c) return c.MAGIC_NUMBER;
  return MSG_ID_MAGIC_NUMBER[String(msgid)];
}
