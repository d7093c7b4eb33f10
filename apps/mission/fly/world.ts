/** The simulated users: S2's video world, S0's MEDs, or the task world of the scenario; on its own bus. */
import { Bus } from '../../common/bus.ts';
import { WorldService } from '../../../sim/world/index.ts';
import { S0WorldService } from '../../../sim/world/s0/index.ts';
import type { S2WorldService } from '../../../sim/world/s2/index.ts';
import type { MissionBroker } from './broker.ts';
import type { MissionCtx } from './context.ts';

export interface MissionWorld {
  bus: Bus;
  world: WorldService | S0WorldService | S2WorldService;
}

export async function startWorld(c: MissionCtx, b: MissionBroker, uniq: string): Promise<MissionWorld> {
  const { o, s, clock, log } = c;
  const bus = await Bus.connect({ url: b.url, clientId: `uavmec-world-${uniq}`, sender: 'world', clock, log: log.child({ c: 'world' }), ...b.cred('world') });
  const world = o.video ? o.video.startWorld(bus, clock, log.child({ c: 'world' })) : o.s0 ? new S0WorldService(bus, clock, o.s0.setting, log.child({ c: 'world' })) : new WorldService(bus, clock, s, log.child({ c: 'world' }));
  await c.held(world.start());
  c.cleanup.push(async () => {
    world.stop();
    await bus.close();
  });
  return { bus, world };
}
