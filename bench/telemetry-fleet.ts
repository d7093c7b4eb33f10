/**
 * The publishing side of bench/telemetry.ts, in its own process: N UAVs, one MQTT connection each,
 * publishing the same TwinState as protobuf (on the contract's topic) or as JSON (on
 * `bench/json/uav/{id}/twin`, for the bare-JSON subscriber; `jsonq`: the same on `bench/jsonq/…`, for
 * the bare-JSON subscriber with mqtt.js's debug logger off; `raw`: the protobuf bytes on
 * `bench/raw/…`, for a bare subscriber of the same bytes) at a total rate it is told, QoS 0.
 *
 * Argument 3 (optional): a field size, m — UAVs then report their hover points on a grid over it
 * (`gridPosition`), as bench/controller-scale.ts's lockstep rows do.
 * Driven over IPC by its parent: `{ cmd: 'run', rate, seconds, format }` → `{ sent, seconds }`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { WallClock } from '../core/clock.ts';
import { encode, topicName } from '../proto/index.ts';
import { benchTwinState, gridPosition } from './telemetry-message.ts';

interface RunCmd {
  cmd: 'run';
  rate: number;
  seconds: number;
  format: 'proto' | 'json' | 'jsonq' | 'raw';
}

const url = process.argv[2]!;
const uavs = Number(process.argv[3]);
const gridAreaM = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const clock = new WallClock();

const clients: MqttClient[] = [];
for (let i = 0; i < uavs; i += 50) {
  const batch = Array.from({ length: Math.min(50, uavs - i) }, (_, k) => mqtt.connectAsync(url, { clientId: `bench-fleet-${process.pid}-${i + k + 1}`, clean: true, reconnectPeriod: 0 }));
  clients.push(...(await Promise.all(batch)));
}
const payloads = clients.map((_, i) => {
  const msg = benchTwinState(i + 1, clock.nowUs());
  if (gridAreaM !== undefined) msg.position = gridPosition(i + 1, uavs, gridAreaM);
  return { proto: Buffer.from(encode('TwinState', msg)), json: Buffer.from(JSON.stringify(msg)), topic: topicName('twin', { uav: i + 1 }), jsonTopic: `bench/json/uav/${i + 1}/twin`, jsonqTopic: `bench/jsonq/uav/${i + 1}/twin`, rawTopic: `bench/raw/uav/${i + 1}/twin` };
});
process.send!({ ready: true });

process.on('message', (m: RunCmd | { cmd: 'exit' }) => {
  if (m.cmd === 'exit') {
    void Promise.all(clients.map((c) => c.endAsync())).then(() => process.exit(0));
    return;
  }
  void run(m).then((r) => process.send!(r));
});

/** Publishes round-robin over the UAVs, topping up to rate × elapsed every millisecond or so. */
async function run({ rate, seconds, format }: RunCmd): Promise<{ sent: number; seconds: number }> {
  const total = Math.round(rate * seconds);
  let sent = 0;
  const t0 = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (sent < due) {
      const i = sent % clients.length;
      const p = payloads[i]!;
      if (format === 'proto') clients[i]!.publish(p.topic, p.proto, { qos: 0 });
      else if (format === 'raw') clients[i]!.publish(p.rawTopic, p.proto, { qos: 0 });
      else clients[i]!.publish(format === 'json' ? p.jsonTopic : p.jsonqTopic, p.json, { qos: 0 });
      sent++;
    }
    await new Promise((r) => setImmediate(r));
  }
  return { sent, seconds: (performance.now() - t0) / 1000 };
}
