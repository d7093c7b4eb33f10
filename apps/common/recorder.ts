/**
 * Records every MQTT message of a mission: a file of length-delimited `uavmec.v1.RecordedMessage`
 * (receive time, topic, payload bytes as published). `readRecording` reads it back.
 */
import fs from 'node:fs';
import { lookupType } from '../../proto/index.ts';
import type { Bus } from './bus.ts';

export interface RecordedMessage {
  recv_t_us: number;
  topic: string;
  payload: Uint8Array;
}

export class Recorder {
  private readonly out: fs.WriteStream;
  private readonly type = lookupType('RecordedMessage');
  count = 0;
  constructor(readonly file: string) {
    this.out = fs.createWriteStream(file, { flags: 'a' });
  }

  async attach(bus: Bus, filter = 'uavmec/#'): Promise<void> {
    await bus.subscribeRaw(filter, (topic, payload, recvUs) => this.write({ recv_t_us: Math.round(recvUs), topic, payload }));
  }

  write(m: RecordedMessage): void {
    this.out.write(this.type.encodeDelimited(this.type.fromObject(m)).finish());
    this.count++;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** Reads a recording; a truncated last record (e.g. after a crash) is reported, not thrown. */
export function readRecording(file: string): { messages: RecordedMessage[]; truncated: boolean } {
  const type = lookupType('RecordedMessage');
  const buf = fs.readFileSync(file);
  const messages: RecordedMessage[] = [];
  let offset = 0;
  while (offset < buf.length) {
    let len = 0;
    let shift = 0;
    let p = offset;
    for (;;) {
      if (p >= buf.length) return { messages, truncated: true };
      const b = buf[p++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (p + len > buf.length) return { messages, truncated: true };
    const obj = type.toObject(type.decode(buf.subarray(p, p + len)), { longs: Number, bytes: Uint8Array }) as RecordedMessage;
    messages.push(obj);
    offset = p + len;
  }
  return { messages, truncated: false };
}
