import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { MavlinkDecoder } from '../../firmware-bridge/mavlink/index.ts';
import { startSitlWorkers, SYSIDS_PER_LINK } from './index.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };

/** Two UDP sockets on consecutive loopback ports (the GCS side of links 0 and 1). */
async function twoLinks(): Promise<dgram.Socket[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const socks: dgram.Socket[] = [];
    for (let l = 0; l < 2; l++) {
      const s = dgram.createSocket('udp4');
      const ok = await new Promise<boolean>((r) => {
        s.once('error', () => r(false));
        s.bind(base + l, '127.0.0.1', () => r(true));
      });
      if (!ok) break;
      socks.push(s);
    }
    if (socks.length === 2) return socks;
    for (const s of socks) s.close();
  }
  throw new Error('no two consecutive free UDP ports');
}

test('260 vehicles over 2 worker threads: two links of system ids, every vehicle heard on its link', { timeout: 60_000 }, async () => {
  const socks = await twoLinks();
  const heard = [new Set<number>(), new Set<number>()];
  socks.forEach((s, link) => {
    const dec = new MavlinkDecoder();
    s.on('message', (buf) => {
      for (const p of dec.pushDatagram(buf)) if (p.msgid === 0) heard[link]!.add(p.sysid);
    });
  });
  const fleet = await startSitlWorkers({ workers: 2, vehicles: 260, flavour: 'px4', home: HOME, basePort: 0, gcsUrl: `udpout://127.0.0.1:${socks[0]!.address().port}` });
  try {
    assert.equal(fleet.vehicles.length, 260);
    assert.deepEqual(fleet.vehicles.slice(0, 2).map((v) => [v.sysid, v.link]), [[1, 0], [2, 0]]);
    assert.deepEqual(fleet.vehicles.slice(249, 252).map((v) => [v.sysid, v.link]), [[250, 0], [1, 1], [2, 1]]);
    assert.equal(new Set(fleet.vehicles.map((v) => v.port)).size, 260, 'one UDP endpoint per vehicle');
    // Heartbeats at 1 Hz: wait until every vehicle was heard (bounded by the test timeout, not by a timed assert).
    while (heard[0]!.size < SYSIDS_PER_LINK || heard[1]!.size < 10) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([...heard[1]!].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const t0 = fleet.ticks();
    while (fleet.ticks() <= t0) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await fleet.stop();
    for (const s of socks) s.close();
  }
});

test('bad worker counts and unsupported options are refused', async () => {
  await assert.rejects(startSitlWorkers({ workers: 0, vehicles: 2, flavour: 'px4', home: HOME }), RangeError);
  await assert.rejects(startSitlWorkers({ workers: 2, vehicles: 2, flavour: 'px4', home: HOME, homeOffsetsM: [{ northM: 0, eastM: 0 }, { northM: 1, eastM: 0 }] }), RangeError);
});
