/**
 * The GCS sink of bench/sitl.ts in its own process: one UDP socket per MAVLink link (consecutive
 * ports, link L at base + L), every datagram decoded as MAVLink (a decoder per link), messages and
 * heartbeats counted. IPC: prints `{ port }` when bound; `mark` → `{ msgs, heartbeats }` so far.
 */
import dgram from 'node:dgram';
import { MavlinkDecoder } from '../firmware-bridge/mavlink/index.ts';

const links = Number(process.argv[2] ?? 1);
let msgs = 0;
let heartbeats = 0;

async function bindAll(base: number): Promise<dgram.Socket[] | undefined> {
  const socks: dgram.Socket[] = [];
  for (let l = 0; l < links; l++) {
    const s = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.bind(base + l, '127.0.0.1', () => resolve(true));
    });
    if (!ok) {
      s.close();
      for (const x of socks) x.close();
      return undefined;
    }
    socks.push(s);
  }
  return socks;
}

let socks: dgram.Socket[] | undefined;
for (let attempt = 0; attempt < 50 && !socks; attempt++) socks = await bindAll(20000 + Math.floor(Math.random() * 30000));
if (!socks) throw new Error(`cannot bind ${links} consecutive UDP ports`);
for (const s of socks) {
  s.setRecvBufferSize(4 * 1024 * 1024); // as a GCS would; capped by net.core.rmem_max
  const dec = new MavlinkDecoder();
  s.on('message', (buf) => {
    for (const p of dec.pushDatagram(buf)) {
      msgs++;
      if (p.msgid === 0) heartbeats++;
    }
  });
}
process.on('message', (m) => {
  if (m === 'mark') process.send!({ msgs, heartbeats });
  if (m === 'exit') {
    for (const s of socks) s.close();
    process.exit(0);
  }
});
process.send!({ port: socks[0]!.address().port });
