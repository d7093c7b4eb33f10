/**
 * Parameter protocol (MAVLINK.md §5): PARAM_REQUEST_LIST → every PARAM_VALUE, paced a few per
 * tick; PARAM_REQUEST_READ by id or index; PARAM_SET → validated set, answered with PARAM_VALUE
 * (the old value, plus a STATUSTEXT, when refused). Values travel per flavour: PX4 encodes
 * integers bytewise (int32 bits in the float), ArduPilot casts them (C_CAST).
 */
import type { MavLinkData } from 'node-mavlink';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import { MAV_PARAM_TYPE, paramSpecs, setParam, type AutopilotFlavour, type ParamSpec, type ParamValues } from '../core/params.ts';
import { make } from './telemetry/index.ts';

const scratch = Buffer.alloc(4);

/** Float carried on the wire for a parameter value. */
export function encodeParamValue(flavour: AutopilotFlavour, spec: ParamSpec, value: number): number {
  if (flavour === 'ardupilot' || spec.type === 'REAL32') return value;
  scratch.writeInt32LE(value | 0, 0);
  return scratch.readFloatLE(0);
}

/** Value from the wire float of a PARAM_SET. */
export function decodeParamValue(flavour: AutopilotFlavour, spec: ParamSpec, wire: number): number {
  if (flavour === 'ardupilot' || spec.type === 'REAL32') return wire;
  scratch.writeFloatLE(wire, 0);
  return scratch.readInt32LE(0);
}

export interface ParamHost {
  readonly flavour: AutopilotFlavour;
  values(): ParamValues;
  /** Applies a validated table (the server rebuilds the vehicle config). */
  apply(values: ParamValues): void;
  send(msg: MavLinkData): void;
  statustext(severity: number, text: string): void;
}

export class ParamService {
  private readonly specs: readonly ParamSpec[];
  private queue: number[] = [];

  constructor(private readonly host: ParamHost, private readonly perTick = 8) {
    this.specs = paramSpecs(host.flavour);
  }

  get count(): number {
    return this.specs.length;
  }

  private valueMsg(index: number): MavLinkData {
    const spec = this.specs[index]!;
    const v = this.host.values()[spec.name] ?? spec.def;
    return make(common.ParamValue, {
      paramId: spec.name,
      paramValue: encodeParamValue(this.host.flavour, spec, v),
      paramType: MAV_PARAM_TYPE[spec.type],
      paramCount: this.specs.length,
      paramIndex: index,
    });
  }

  requestList(): void {
    this.queue = this.specs.map((_, i) => i);
  }

  requestRead(id: string, index: number): void {
    const i = index >= 0 ? index : this.specs.findIndex((s) => s.name === id);
    if (i >= 0 && i < this.specs.length) this.host.send(this.valueMsg(i));
  }

  set(id: string, wire: number): void {
    const i = this.specs.findIndex((s) => s.name === id);
    if (i < 0) {
      this.host.statustext(4, `Unknown parameter ${id}`);
      return;
    }
    const r = setParam(this.host.flavour, this.host.values(), id, decodeParamValue(this.host.flavour, this.specs[i]!, wire));
    if (r.ok) this.host.apply(r.value);
    else this.host.statustext(4, `Param ${id}: ${r.detail ?? r.reason}`.slice(0, 50));
    this.host.send(this.valueMsg(i));
  }

  /** Sends the next few queued PARAM_VALUEs (call once per tick). */
  tick(): void {
    for (let k = 0; k < this.perTick && this.queue.length > 0; k++) this.host.send(this.valueMsg(this.queue.shift()!));
  }
}
