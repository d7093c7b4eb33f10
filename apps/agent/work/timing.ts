/**
 * How long an offloaded task takes on the UAVs as they actually are (SPEC §5.1): the upload
 * D_i / r_ik over the G2A channel at the access UAV's real position and granted bandwidth, the
 * relay D_i / r_kk' over A2A when another UAV computes it, then cycles / f on the executor.
 * Pure: positions in, seconds out.
 */
import { a2aRate, g2aRate, type S3ChannelParams } from '../../../core/models/channel.ts';

type P3 = readonly [number, number, number];

export interface TransferInput {
  dataBits: number;
  userPos: P3;
  accessPos: P3;
  execPos: P3;
  bandwidthHz: number;
  relayBandwidthHz: number;
  userTxPowerW: number;
  uavTxPowerW: number;
  relayed: boolean;
}

export function transferTimes(ch: S3ChannelParams, t: TransferInput): { uplinkS: number; relayS: number } {
  const up = g2aRate(ch, t.userPos, t.accessPos, t.userTxPowerW, t.bandwidthHz);
  const uplinkS = up > 0 ? t.dataBits / up : Infinity;
  if (!t.relayed) return { uplinkS, relayS: 0 };
  const r = a2aRate(ch, t.accessPos, t.execPos, t.uavTxPowerW, t.relayBandwidthHz);
  return { uplinkS, relayS: r > 0 ? t.dataBits / r : Infinity };
}
