/** What a SITL server is started with (server.ts), and the counters it keeps. */
import type { Clock } from '../../../core/clock.ts';
import type { GeoPoint } from '../../../core/geo.ts';
import type { Peer } from '../../../firmware-bridge/transport/index.ts';
import type { AutopilotFlavour } from '../core/params.ts';
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
