/**
 * The air side: the SITL fleet (on the scenario's launch pads, or at the policy's or S2's start
 * offsets, S0's set-up) and one agent per vehicle, each with its profile, .tlog, models or
 * envelope and, in secure mode, the plan key and its MAVLink signing key; ready once every agent
 * hears its autopilot.
 */
import path from 'node:path';
import { startSitl, type SitlFleet } from '../../../sim/autopilot/index.ts';
import { launchPads, uavProfile } from '../../../sim/world/index.ts';
import { createAgent, type RunningAgent } from '../../agent/create.ts';
import { s0AgentOptions, s0SitlOptions } from '../s0.ts';
import type { MissionBroker } from './broker.ts';
import type { MissionCtx } from './context.ts';

export interface MissionFleet {
  sitl: SitlFleet;
  agents: RunningAgent[];
  /** Agents closed (killed by a test, or at the end). */
  killed: ReadonlySet<RunningAgent>;
  /** Closes an agent once, as if its process died. */
  closeAgent(a: RunningAgent): Promise<void>;
}

export async function startFleet(c: MissionCtx, b: MissionBroker, uniq: string): Promise<MissionFleet> {
  const { o, s, clock } = c;
  const sitl: SitlFleet = await c.held(startSitl({ vehicles: s.uavs, flavour: o.flavour, clock, home: s.origin, homeOffsetsM: launchPads(s), basePort: 0, batteryJ: s.uav.batteryJ,
    ...(o.policy ? { homeOffsetsM: o.policy.homeOffsetsM } : {}), ...(o.video ? { homeOffsetsM: o.video.homeOffsetsM } : {}), ...(o.s0 ? s0SitlOptions(o.s0) : {}) }));
  c.cleanup.push(() => sitl.stop());
  c.phase(`SITL: ${s.uavs} ${o.flavour} vehicles on ${urlList(sitl.vehicles.map((v) => v.url))}`);
  const agents: RunningAgent[] = [];
  const killed = new Set<RunningAgent>();
  const closeAgent = async (a: RunningAgent) => {
    if (killed.has(a)) return;
    killed.add(a);
    await a.close();
  };
  for (const v of sitl.vehicles) {
    // Not held as a whole: MAVLink signing provisioning waits for the autopilot's heartbeats,
    // which need clock time; createAgent holds the clock for each piece of real I/O itself.
    const a = await startAgent(c, b, uniq, v.sysid, v.url);
    agents.push(a);
    c.cleanup.push(() => closeAgent(a));
  }
  await Promise.all(agents.map(async (a) => {
    const r = await a.vehicle.waitConnected(10_000);
    if (!r.ok) throw new Error(`agent could not reach its autopilot (${r.reason})`);
  }));
  c.phase(`${agents.length} agents connected to their autopilots`);
  return { sitl, agents, killed, closeAgent };
}

function startAgent(c: MissionCtx, b: MissionBroker, uniq: string, uavId: number, autopilotUrl: string): Promise<RunningAgent> {
  const { o, s, clock } = c;
  const signingKey = b.secrets?.mavlinkKeys.get(uavId);
  return createAgent({
    uavId, autopilotUrl, broker: { url: b.url, ...b.cred(`uav-${uavId}`) }, clientId: `uavmec-uav-${uavId}-${uniq}`, clock, log: c.log.child({ c: `uav-${uavId}` }),
    profile: uavProfile(s, uavId, clock.nowUs()),
    tlogPath: path.join(o.runDir, `uav-${uavId}.tlog`),
    ...(o.policy ? { modelsDir: o.policy.model.dir, envelope: o.policy.envelope } : {}),
    ...(o.video ? { envelope: o.video.envelope } : {}),
    ...(o.s0 ? s0AgentOptions(o.s0, uavId, clock.nowUs()) : {}),
    ...(b.secrets ? { planVerifyKey: b.secrets.planVerifyKey } : {}),
    ...(signingKey ? { mavlinkSigningKey: signingKey } : {}),
  });
}

/** The vehicles' links for the log line: all of a small fleet, the first and last few of a large one. */
export function urlList(urls: readonly string[], most = 6): string {
  if (urls.length <= most) return urls.join(', ');
  const k = Math.floor(most / 2);
  return `${urls.slice(0, k).join(', ')}, … ${urls.length - 2 * k} more …, ${urls.slice(-k).join(', ')}`;
}
