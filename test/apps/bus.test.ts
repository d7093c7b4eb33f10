import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ScaledClock } from '../../core/clock.ts';
import { Bus, silentLogger } from '../../apps/common/index.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../apps/common/broker.ts';
import type { TwinState } from '../../proto/index.ts';

const brokers: { name: string; url: () => string }[] = [];
let embedded: EmbeddedBroker;
before(async () => {
  embedded = await startEmbeddedBroker();
});
after(async () => embedded.close());
brokers.push({ name: 'embedded aedes', url: () => embedded.url });
if (process.env.MQTT_URL) brokers.push({ name: `MQTT_URL ${process.env.MQTT_URL}`, url: () => process.env.MQTT_URL! });

for (const b of brokers) {
  test(`bus delivers valid messages and drops malformed ones (${b.name})`, async () => {
    const clock = new ScaledClock(1);
    const suffix = Math.random().toString(36).slice(2);
    const log = silentLogger();
    const ctl = await Bus.connect({ url: b.url(), clientId: `ctl-${suffix}`, sender: 'controller', clock, log });
    const agent = await Bus.connect({ url: b.url(), clientId: `uav-${suffix}`, sender: 'uav-7', clock, log });
    try {
      const got: TwinState[] = [];
      await ctl.subscribe('twin', { uav: 7 }, (m) => got.push(m));
      await agent.publishBytes('uavmec/v1/uav/7/twin', Buffer.from([0xff, 0xff, 0xff]), 1);
      await agent.publish('twin', { uav: 7 }, { uav_id: 7, battery_pct: 150 });
      await agent.publish('twin', { uav: 7 }, { uav_id: 7, battery_pct: 55, position: { x_east_m: 1, y_north_m: 2, alt_m: 3 } });
      const deadline = Date.now() + 5000;
      while (got.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(got.length, 1);
      assert.equal(got[0]!.battery_pct, 55);
      assert.equal(got[0]!.header?.sender, 'uav-7');
      assert.equal(got[0]!.header?.seq, 2);
      assert.equal(ctl.stats.dropped.undecodable, 1);
      assert.equal(ctl.stats.dropped.invalid, 1);
    } finally {
      await agent.close();
      await ctl.close();
    }
  });
}
