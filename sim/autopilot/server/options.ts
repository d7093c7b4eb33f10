/** What a SITL server is started with (server.ts), its initial parameters, and the counters it keeps. */
import type { Clock } from '../../../core/clock.ts';
import type { GeoPoint } from '../../../core/geo.ts';
import type { Peer } from '../../../firmware-bridge/transport/index.ts';
import { defaultParams, type AutopilotFlavour, type ParamValues } from '../core/params.ts';
import type { SitlSigningOptions } from './signing.ts';

export interface SitlServerOptions {
  flavour: AutopilotFlavour;
  clock: Clock;
  home: GeoPoint;
  /** MAVLink system id (also written to SYSID_THISMAV / MAV_SYS_ID). */
  sysid: number;
  /** Local UDP port (0 = pick a free one). */
  port: number;
  host?: string;
  /** Parameter overrides by firmware name. */
  params?: Record<string, number>;
  /** Peers that always receive our traffic (a GCS on 14550). */
  gcsPeers?: Peer[];
  tlogPath?: string;
  /** Loop rate, Hz (default 50). */
  physicsHz?: number;
  /** false: the owner calls `tick()` (a fleet drives all its vehicles from one timer). */
  autoTick?: boolean;
  signing?: SitlSigningOptions; // MAVLink 2 signing: initial key, SETUP_SIGNING policy (signing.ts)
}

export interface ServerStats {
  ticks: number;
  steps: number;
  heartbeatsSent: number;
  packetsIn: number;
  packetsOut: number;
  startedUs: number;
  signingSetups?: number; signingRefused?: number; signingEnabled?: boolean; // SETUP_SIGNING applied/refused; signing on
}

/** The vehicle's parameters: the firmware's defaults, the overrides, and its system id under the firmware's name. Throws on a bad override. */
export function initialParams(o: Pick<SitlServerOptions, 'flavour' | 'params' | 'sysid'>): ParamValues {
  const sysParam = o.flavour === 'px4' ? 'MAV_SYS_ID' : 'SYSID_THISMAV';
  return defaultParams(o.flavour, { ...o.params, [sysParam]: o.sysid });
}
