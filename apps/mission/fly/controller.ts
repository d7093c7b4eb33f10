/**
 * The ground side: the controller's bus and config (the scenario's, plus what the mission mode
 * brings — a signing key, the pool, the policy's or S2's trajectory and driver, S0's coalitions),
 * the other shards when sharded, and the controller, subscribed before anyone else publishes.
 */
import { Bus } from '../../common/bus.ts';
import { ControllerService, type ControllerConfig } from '../../controller/service/index.ts';
import { S2Driver } from '../../controller/s2/index.ts';
import { poolConfigFor, type Scenario } from '../../../sim/world/index.ts';
import { s0ControllerConfig, s0LaunchTimeoutS } from '../s0.ts';
import { startShards, type RunningShards } from '../shards.ts';
import type { MissionBroker } from './broker.ts';
import type { MissionCtx } from './context.ts';
import type { MissionOptions } from './options.ts';

export interface MissionGround {
  ctlBus: Bus;
  ctl: ControllerService;
  video: S2Driver | undefined;
  shards: RunningShards | undefined;
}

/** The controller's config for this scenario and mission mode. Pure. */
export function controllerConfig(
  s: Scenario,
  o: Pick<MissionOptions, 'algo' | 'policy' | 'video' | 's0'>,
  extra: { planSigningKey?: ControllerConfig['planSigningKey']; video?: S2Driver; s0?: ControllerConfig['s0'] },
): ControllerConfig {
  const pool = poolConfigFor(s);
  return {
    slots: s.slots, slotS: s.slotS, algo: o.algo, channel: s.channel, cruiseAltM: s.cruiseAltM, speedMS: s.uavSpeedMS,
    uavTxPowerW: s.uav.txPowerW, seed: s.seed, waitForUavs: s.uavs, readyTimeoutS: 30, ...(extra.planSigningKey ? { planSigningKey: extra.planSigningKey } : {}),
    ...(pool ? { pool } : {}),
    ...(o.policy ? { trajectory: o.policy.trajectory } : {}),
    ...(o.video && extra.video ? { trajectory: o.video.trajectory, video: extra.video, drainSlots: o.video.drainSlots } : {}),
    ...(o.s0 && extra.s0 ? { s0: extra.s0, launchTimeoutS: s0LaunchTimeoutS(o.s0) } : {}),
  };
}

export async function startGround(c: MissionCtx, b: MissionBroker, uniq: string): Promise<MissionGround> {
  const { o, s, clock, log } = c;
  const ctlBus = await Bus.connect({ url: b.url, clientId: `uavmec-controller-${uniq}`, sender: 'controller', clock, log: log.child({ c: 'controller' }), ...b.cred('controller') });
  c.cleanup.push(() => ctlBus.close());
  const video = o.video ? new S2Driver(ctlBus, clock, o.video.driver, o.video.actor.act, log.child({ c: 's2' }), c.held) : undefined;
  const s0cfg = o.s0 ? await s0ControllerConfig(o.s0, c.held) : undefined;
  if (s0cfg?.warmStart) c.cleanup.push(() => s0cfg.warmStart!.close());
  const ctlCfg = controllerConfig(s, o, { ...(b.secrets ? { planSigningKey: b.secrets.planSigningKey } : {}), ...(video ? { video } : {}), ...(s0cfg ? { s0: s0cfg } : {}) });
  const shards = (o.shards ?? 1) > 1 ? await startShards({ count: o.shards!, scenario: s, url: b.url, uniq, clock, log, cfg: ctlCfg, coordinatorBus: ctlBus }) : undefined;
  if (shards) c.cleanup.push(() => shards.close());
  const ctl: ControllerService = new ControllerService(ctlBus, clock, shards ? { ...ctlCfg, shard: shards.coordinatorLink } : ctlCfg, log.child({ c: shards ? 'shard-1' : 'controller' }), {
    onSlot: (m, k) => {
      o.onSlot?.(m, k);
      if (c.timing) o.onTiming?.(c.timing.slot(k, ctl.ledger.slots));
    },
    ...(o.onPoolRound ? { onPoolRound: o.onPoolRound } : {}),
  });
  // Subscribed before anyone else publishes (see ControllerService.attach).
  await ctl.attach();
  return { ctlBus, ctl, video, shards };
}
