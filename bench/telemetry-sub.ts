/**
 * The subscribing side of bench/telemetry.ts, in its own process (as the controller is):
 * - `bus`: the controller's ingest path — the real `Bus` (topic match, protobuf decode + validate)
 *   and `TwinStore.apply` into the twin, plus the controller's reads: the fleet state's copy of
 *   every position at 5 Hz (`peek`) and a snapshot once a second (planning takes one per slot).
 *   The controller's core also notes each consumed message for its PlanningInputs;
 *   bench:controller-scale measures that whole path;
 * - `json`: the peer — a bare MQTT client (mqtt.js defaults) that only runs `JSON.parse` on each payload;
 * - `jsonq`: the same peer with mqtt.js's debug logger off (`log: noop`), as the `Bus` runs it;
 * - `raw`: a bare client (logger off) that only counts the bytes of the same protobuf messages ours
 *   gets (on their own topic): what the transport alone costs for that stream.
 *
 * Over IPC: `{ cmd: 'mark' }` → `{ received, cpuUs, firstMs, lastMs }`: counts since start (the
 * parent diffs them) and the receive times of the first and last message since the previous mark;
 * `{ cmd: 'peek' }` the same without starting a new window.
 */
import mqtt from 'mqtt';
import { WallClock } from '../core/clock.ts';
import { Bus } from '../apps/common/bus.ts';
import { silentLogger } from '../apps/common/log.ts';
import { fleetMembers } from '../apps/controller/service/fleet.ts';
import { TwinStore } from '../apps/controller/twin/index.ts';

const [, , url, kind] = process.argv as [string, string, string, 'bus' | 'json' | 'jsonq' | 'raw'];
let received = 0;
let sink = 0;
/** Receive times (performance.now) of the first and last message since the last mark. */
let firstMs: number | undefined;
let lastMs = 0;
const seen = () => {
  lastMs = performance.now();
  firstMs ??= lastMs;
  received++;
};

if (kind === 'bus') {
  const bus = await Bus.connect({ url, clientId: `bench-ingest-${process.pid}`, sender: 'controller', clock: new WallClock(), log: silentLogger() });
  const twin = new TwinStore();
  await bus.subscribe('twin', {}, (m, d) => {
    if (d.params.uav !== m.uav_id) return;
    twin.apply(m, d.recvUs);
    seen();
  });
  setInterval(() => (sink += fleetMembers(twin.peek().values()).length), 200).unref();
  setInterval(() => (sink += twin.snapshot().size), 1000).unref();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'exit') void bus.close().then(() => process.exit(0));
  });
  sink = twin.size;
} else {
  const client = await mqtt.connectAsync(url, { clientId: `bench-${kind}-${process.pid}`, clean: true, ...(kind !== 'json' ? { log: () => undefined } : {}) });
  client.on('message', (_topic, payload) => {
    sink += kind === 'raw' ? payload.length : (JSON.parse(payload.toString()) as { uav_id: number }).uav_id;
    seen();
  });
  await client.subscribeAsync(`bench/${kind}/uav/+/twin`, { qos: 0 });
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'exit') void client.endAsync().then(() => process.exit(0));
  });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd !== 'mark' && m.cmd !== 'peek') return;
  const c = process.cpuUsage();
  process.send!({ received, cpuUs: c.user + c.system, firstMs, lastMs, sink });
  if (m.cmd === 'mark') firstMs = undefined;
});
process.send!({ ready: true });
