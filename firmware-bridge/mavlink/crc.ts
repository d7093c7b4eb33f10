/**
 * CRC-16/MCRF4XX ("X.25" in MAVLink's sources), the checksum of every MAVLink frame:
 * computed over the frame from the byte after STX to the end of the payload, then over the
 * message's CRC_EXTRA byte (MAVLINK.md §0).
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = 0;
    let c = i;
    for (let j = 0; j < 8; j++) {
      crc = (crc ^ c) & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
      c >>>= 1;
    }
    t[i] = crc;
  }
  return t;
})();

/** Accumulates bytes `buf[start, end)` into `crc` (initial 0xFFFF). */
export function crcAccumulate(crc: number, buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ buf[i]!) & 0xff]!;
  return crc;
}

/** The frame checksum: bytes `[start, end)` then the CRC_EXTRA byte. */
export function frameCrc(buf: Uint8Array, start: number, end: number, crcExtra: number): number {
  let crc = crcAccumulate(0xffff, buf, start, end);
  crc = (crc >>> 8) ^ TABLE[(crc ^ (crcExtra & 0xff)) & 0xff]!;
  return crc;
}

/**
 * CRC_EXTRA from a message definition, as mavgen computes it: CRC over "NAME ", then for each
 * field in wire order "type name " (+ array length byte), folded to one byte. Used to check the
 * custom PROTOCOL_VERSION class independently of the hard-coded 217.
 */
export function computeCrcExtra(
  name: string,
  wireFields: ReadonlyArray<{ type: string; name: string; arrayLength?: number }>,
): number {
  const enc = (s: string) => Buffer.from(s, 'latin1');
  let crc = crcAccumulate(0xffff, enc(`${name} `), 0, name.length + 1);
  for (const f of wireFields) {
    const s = enc(`${f.type} ${f.name} `);
    crc = crcAccumulate(crc, s, 0, s.length);
    if (f.arrayLength) crc = crcAccumulate(crc, Uint8Array.of(f.arrayLength), 0, 1);
  }
  return (crc & 0xff) ^ (crc >>> 8);
}
