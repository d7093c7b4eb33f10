/**
 * Before slot 0: wait for the UAVs to report a position (the launch plan goes where each stands),
 * then launch the fleet (the core's launch plans) and wait until every UAV reports FLYING at its
 * start (or `launchTimeoutS`), so the mission starts airborne as S3's does.
 */
import { FlightState } from '../../../proto/index.ts';
import { fleetReady, PLANNER_TRAJECTORY } from '../trajectory.ts';
import { nowUs, type ControllerCtx } from './context.ts';
import { apply, twin } from './inbox.ts';

export async function waitForFleet(c: ControllerCtx): Promise<void> {
  const { cfg, clock } = c;
  const want = cfg.waitForUavs ?? 0;
  const until = clock.nowUs() + (cfg.readyTimeoutS ?? 60) * 1e6;
  // A UAV counts once it reported a position: the launch plan goes where it stands.
  const located = () => {
    const t = twin(c);
    return cfg.shard ? cfg.shard.knownUavs : [...t.values()].filter((u) => u.pos).length;
  };
  while (!c.stopped && located() < want && clock.nowUs() < until) await clock.sleep(100);
  if (located() < want) c.log.warn({ have: located(), want }, 'starting without every UAV reporting its position');
}

export async function launchFleet(c: ControllerCtx): Promise<void> {
  const { cfg, clock } = c;
  apply(c, { kind: 'launch', nowUs: nowUs(c) });
  const until = clock.nowUs() + (cfg.launchTimeoutS ?? 60) * 1e6;
  const airborne = () => fleetReady(cfg.trajectory ?? PLANNER_TRAJECTORY, twin(c));
  while (!c.stopped && !airborne() && clock.nowUs() < until) await clock.sleep(250);
  if (!airborne()) c.log.warn({ flying: [...twin(c).values()].filter((u) => u.flightState === FlightState.FLIGHT_STATE_FLYING).map((u) => u.id) }, 'starting slots before every UAV is airborne at its start');
}
