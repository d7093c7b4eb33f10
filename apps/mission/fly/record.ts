/**
 * The MQTT recording (mqtt.rec): its own bus, canonical order in lockstep. `stop` ends it once,
 * time first, so the recording ends at a quiescent instant (its tail does not depend on how long
 * closing takes); it is also on the cleanup list.
 */
import path from 'node:path';
import { Bus } from '../../common/bus.ts';
import { Recorder } from '../../common/recorder.ts';
import type { MissionBroker } from './broker.ts';
import type { MissionCtx } from './context.ts';

export interface MissionRecording {
  recorder: Recorder;
  stop(): Promise<void>;
}

export async function startRecording(c: MissionCtx, b: MissionBroker, uniq: string): Promise<MissionRecording> {
  const recBus = await Bus.connect({ url: b.url, clientId: `uavmec-recorder-${uniq}`, sender: 'recorder', clock: c.clock, log: c.log.child({ c: 'recorder' }), ...b.cred('recorder') });
  const recorder = new Recorder(path.join(c.o.runDir, 'mqtt.rec'), { canonical: c.virtual });
  await recorder.attach(recBus);
  let recording = true;
  const stop = async () => {
    if (!recording) return;
    recording = false;
    await c.vclock?.stop();
    await recBus.close();
    await recorder.close();
  };
  c.cleanup.push(stop);
  return { recorder, stop };
}
