/**
 * Mission protocol, vehicle side (MAVLINK.md §5), for mission types 0 (mission), 1 (fence) and
 * 2 (rally): upload (MISSION_COUNT → MISSION_REQUEST_INT per item, re-requested after 1500 ms up
 * to 5 times, out-of-sequence items re-requested, → MISSION_ACK), download (MISSION_REQUEST_LIST →
 * MISSION_COUNT, then MISSION_REQUEST_INT or legacy MISSION_REQUEST answered with
 * MISSION_ITEM_INT), count 0 and MISSION_CLEAR_ALL clear. ArduPilot reports home as item 0.
 * Fence and rally items are stored and served but not enforced (the fence comes from parameters).
 */
import type { MavLinkData } from 'node-mavlink';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import type { GeoPoint } from '../../../core/geo.ts';
import type { MissionItem } from '../core/types.ts';
import { make } from './telemetry/index.ts';

export const MISSION_RESULT = { ACCEPTED: 0, ERROR: 1, UNSUPPORTED: 3, NO_SPACE: 4, INVALID_SEQUENCE: 13, DENIED: 14, OPERATION_CANCELLED: 15 } as const;

export interface MissionHost {
  readonly flavour: 'ardupilot' | 'px4';
  nowUs(): number;
  send(msg: MavLinkData): void;
  /** The vehicle's mission changed (type 0). */
  missionChanged(items: readonly MissionItem[]): void;
  /** Home, for ArduPilot's item 0. */
  homeItem(): MissionItem;
}

/** Home as ArduPilot's mission item 0 (NAV_WAYPOINT, global frame, degE7, AMSL). */
export function homeItem(home: GeoPoint): MissionItem {
  return {
    command: 16, frame: 0, param1: 0, param2: 0, param3: 0, param4: 0,
    x: Math.round(home.latDeg * 1e7), y: Math.round(home.lonDeg * 1e7), z: home.altAmslM, autocontinue: 1,
  };
}

interface Upload {
  type: number;
  count: number;
  items: MissionItem[];
  peerSys: number;
  peerComp: number;
  lastRequestUs: number;
  retries: number;
}

const TIMEOUT_US = 1_500_000;
const MAX_RETRIES = 5;
const MAX_ITEMS = 1000;

export class MissionService {
  private readonly stores: MissionItem[][] = [[], [], []];
  private readonly opaque = [0, 0, 0];
  private upload: Upload | undefined;

  constructor(private readonly host: MissionHost) {}

  items(type = 0): readonly MissionItem[] {
    return this.stores[type] ?? [];
  }

  get uploading(): boolean {
    return this.upload !== undefined;
  }

  private ack(type: number, result: number, sys: number, comp: number): void {
    this.host.send(make(common.MissionAck, { targetSystem: sys, targetComponent: comp, type: result, missionType: type, opaqueId: this.opaque[type] ?? 0 }));
  }

  private request(u: Upload, seq: number): void {
    u.lastRequestUs = this.host.nowUs();
    this.host.send(make(common.MissionRequestInt, { seq, targetSystem: u.peerSys, targetComponent: u.peerComp, missionType: u.type }));
  }

  private store(type: number, items: MissionItem[]): void {
    this.stores[type] = items;
    this.opaque[type] = ((this.opaque[type] ?? 0) + 1) >>> 0;
    if (type === 0) this.host.missionChanged(items);
  }

  onCount(count: number, type: number, sys: number, comp: number): void {
    if (type < 0 || type > 2) return this.ack(type, MISSION_RESULT.UNSUPPORTED, sys, comp);
    if (count > MAX_ITEMS) return this.ack(type, MISSION_RESULT.NO_SPACE, sys, comp);
    if (count === 0) {
      this.upload = undefined;
      this.store(type, []);
      return this.ack(type, MISSION_RESULT.ACCEPTED, sys, comp);
    }
    // A new MISSION_COUNT restarts any upload in progress (as PX4 and ArduPilot do).
    this.upload = { type, count, items: [], peerSys: sys, peerComp: comp, lastRequestUs: 0, retries: 0 };
    this.request(this.upload, 0);
  }

  onItem(it: MissionItem & { seq: number; missionType: number }, sys: number, comp: number): void {
    const u = this.upload;
    if (!u || it.missionType !== u.type) {
      // Item outside an upload: PX4/ArduPilot answer with an error ack.
      return this.ack(it.missionType, MISSION_RESULT.DENIED, sys, comp);
    }
    const next = u.items.length;
    if (it.seq !== next) {
      if (it.seq > next) this.request(u, next);
      return;
    }
    const { seq: _seq, missionType: _mt, ...item } = it;
    u.items.push(item);
    u.retries = 0;
    if (u.items.length < u.count) return this.request(u, u.items.length);
    this.upload = undefined;
    this.store(u.type, u.items);
    this.ack(u.type, MISSION_RESULT.ACCEPTED, sys, comp);
  }

  onRequestList(type: number, sys: number, comp: number): void {
    if (type < 0 || type > 2) return this.ack(type, MISSION_RESULT.UNSUPPORTED, sys, comp);
    this.host.send(make(common.MissionCount, { count: this.downloadItems(type).length, targetSystem: sys, targetComponent: comp, missionType: type, opaqueId: this.opaque[type] ?? 0 }));
  }

  private downloadItems(type: number): readonly MissionItem[] {
    const items = this.stores[type] ?? [];
    if (type !== 0 || this.host.flavour !== 'ardupilot') return items;
    return items.length === 0 ? [] : [this.host.homeItem(), ...items.slice(1)];
  }

  onRequest(seq: number, type: number, sys: number, comp: number): void {
    const items = this.downloadItems(type);
    const it = items[seq];
    if (!it) return this.ack(type, MISSION_RESULT.INVALID_SEQUENCE, sys, comp);
    this.host.send(make(common.MissionItemInt, { ...it, seq, targetSystem: sys, targetComponent: comp, current: seq === 0 ? 1 : 0, missionType: type }));
  }

  onClearAll(type: number, sys: number, comp: number): void {
    const types = type === 255 ? [0, 1, 2] : [type];
    for (const t of types) if (t >= 0 && t <= 2) this.store(t, []);
    this.upload = undefined;
    this.ack(type === 255 ? 0 : type, MISSION_RESULT.ACCEPTED, sys, comp);
  }

  /** Re-requests a missing item after the timeout; gives up after 5 retries. */
  tick(): void {
    const u = this.upload;
    if (!u || this.host.nowUs() - u.lastRequestUs < TIMEOUT_US) return;
    if (u.retries >= MAX_RETRIES) {
      this.upload = undefined;
      return this.ack(u.type, MISSION_RESULT.OPERATION_CANCELLED, u.peerSys, u.peerComp);
    }
    u.retries++;
    this.request(u, u.items.length);
  }
}
