/**
 * A whole mission on one machine (stage by stage in fly/): an MQTT broker (the embedded aedes on a free loopback port, or
 * one given by URL), a SITL fleet speaking MAVLink 2 over UDP loopback, one agent per UAV driving
 * its autopilot through the bridge, the simulated users, and the controller — all on one
 * (accelerated) clock. Writes the run folder: summary.json, the MQTT recording, one .tlog per UAV.
 *
 * `security` (issue 9) runs it as a deployment would: every process connects as its own identity
 * (the embedded broker enforces the ACL generated from the topic table), the controller signs
 * plans and the agents pin its key, and each agent provisions MAVLink 2 signing with its autopilot.
 *
 * `policy` (issue 7 §4; policy.ts) flies the trained S3 actors instead of the cluster planner: the
 * scenario is the model's training env, the SITL vehicles stand at its start positions, agents get
 * the model directory and an envelope checked to contain the env's box, the controller sends
 * FLIGHT_MODE_POLICY plans; the same actors are first flown in the env (policy-eval.ts) and
 * summary.policy sets the flight against that prediction slot by slot.
 *
 * Lockstep (`clock: 'virtual'`, the default) runs everything on a discrete-event `VirtualClock`:
 * time jumps to the next timer only when every participant has finished what is due — every bus
 * counts its publishes against their deliveries to the mission's other buses (any broker:
 * embedded, external, TLS), every MAVLink UDP socket its datagrams, the agents their ONNX
 * inferences, model loads and plan handling, and setup steps hold the clock while they do real
 * I/O — and the recorder writes each instant's messages in canonical order. Same scenario and
 * seed → the same summary, recording and tlogs byte for byte whatever the machine's load (their
 * SHA-256 goes into summary.determinism); the mission takes the wall time it needs.
 *
 * `clock: 'scaled'` (real time × `speed`) is for what cannot be in lockstep — separate processes,
 * hardware in the loop. There lateness is measured (timer lag, requests that missed their slot's
 * plan, the real-time factor reached) and reported live (`onTiming`) and in summary.timing, which
 * says when the numbers are degraded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tlogSha256 } from '../replay/digest.ts';
import { fly, type MissionOptions } from './fly/index.ts';
import type { MissionSummary } from './summary.ts';

export type { MissionBrokerInfo, MissionOptions, MissionReadyContext } from './fly/index.ts';

export async function runMission(o: MissionOptions): Promise<MissionSummary> {
  const summary = await fly(o);
  if (summary.determinism) {
    // The tlogs are complete once the agents closed (in fly's cleanup).
    for (const t of summary.tlogs) summary.determinism.tlogSha256[t] = tlogSha256(path.join(o.runDir, t));
    fs.writeFileSync(path.join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
  }
  return summary;
}
