/**
 * `uavmec sitl`: runs a fleet of simulated MAVLink 2 multicopters until SIGINT/SIGTERM and prints
 * each vehicle's URL. (The lead registers it in apps/cli/commands/index.ts.)
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { mavlinkKeyFrom } from '../../apps/cli/broker-auth.ts';
import { ScaledClock } from '../../core/clock.ts';
import type { Command } from '../../apps/cli/command.ts';
import { UsageError } from '../../apps/cli/command.ts';
import { withAdvice } from '../../apps/cli/start-errors.ts';
import { int, num, oneOf, parse } from '../../apps/cli/args.ts';
import { MAX_VEHICLES, startSitl, SitlStartError, SYSIDS_PER_LINK } from './fleet.ts';
import { startSitlWorkers } from './workers.ts';
import type { AutopilotFlavour } from './core/params.ts';

const HELP = `Usage: uavmec sitl [options]

Simulated multicopter autopilots (ArduCopter or PX4 flavour) speaking MAVLink 2 over UDP, one
endpoint per vehicle. Agents connect with the printed udpout:// URL; QGroundControl sees the
fleet when --gcs points at it. Runs until Ctrl-C.

Options:
  --vehicles <n>         number of vehicles, 1–10000 (default 1); beyond 250, vehicle i is
                         sysid 1 + i mod 250 on link ⌊i/250⌋, and link L pushes to the --gcs
                         port + L
  --workers <n>          split the fleet over n worker threads, 0 = one thread (default 0;
                         one per core keeps ~1000 vehicles in real time, see docs/benchmarks.md);
                         not with --signing-key(s) or --tlog-dir
  --flavour <f>          ardupilot | px4 (default ardupilot, like ArduCopter SITL)
  --numbering <f>        port/sysid scheme: px4 (port base+i) | ardupilot (base+10·i);
                         sysid is i+1 either way (default: same as --flavour)
  --base-port <p>        first UDP port; 0 = pick free ports
                         (default 14540 for px4 numbering, 5760 for ardupilot)
  --host <addr>          address to bind (default 127.0.0.1)
  --gcs <url>            also push to a GCS, e.g. udpout://127.0.0.1:14550 (default: none)
  --speed <x>            simulated-time speed-up, > 0 (default 1 = real time)
  --home <lat,lon,alt>   home of vehicle 1, degrees and m AMSL
                         (default 47.397742,8.545594,488)
  --spacing <m>          east spacing between vehicles' homes, m (default 5)
  --battery-j <J>        battery capacity per vehicle, J (default 399600 = 6S 5000 mAh)
  --param <NAME=value>   parameter override, repeatable (e.g. --param FS_GCS_ENABLE=1)
  --tlog-dir <dir>       write sitl-<sysid>.tlog per vehicle (default: none)
  --signing-key <file>   start every vehicle with MAVLink 2 signing on, with this key (64 hex
                         characters); unsigned or wrongly signed commands are then dropped
                         (default: signing off until a SETUP_SIGNING)
  --signing-keys <dir>   per-vehicle keys: <dir>/mavlink-uav-<sysid>.key (what \`uavmec keys\` writes)
                         SETUP_SIGNING (256) is honoured from loopback peers only (the direct link),
                         and once signing is on only if signed with the current key.
  -h, --help             this help

Example:
  uavmec sitl --vehicles 4 --flavour ardupilot --base-port 0 --gcs udpout://127.0.0.1:14550 --speed 1 --home 47.3977,8.5456,488
  uavmec sitl --vehicles 2 --signing-keys ./secrets   # signed from the start`;

function parseHome(v: string | boolean | undefined) {
  if (v === undefined) return { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
  const parts = String(v).split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)) || Math.abs(parts[0]!) > 90 || Math.abs(parts[1]!) > 180) {
    throw new UsageError(`--home expects lat,lon,alt (degrees, degrees, m), got '${String(v)}'`);
  }
  return { latDeg: parts[0]!, lonDeg: parts[1]!, altAmslM: parts[2]! };
}

function parseParams(list: (string | boolean)[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list ?? []) {
    const m = /^([A-Z0-9_]{1,16})=(.+)$/.exec(String(item));
    if (!m || !Number.isFinite(Number(m[2]))) throw new UsageError(`--param expects NAME=number, got '${String(item)}'`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

const command: Command = {
  name: 'sitl',
  summary: 'simulate MAVLink 2 multicopter autopilots (ArduCopter / PX4 flavour)',
  help: HELP,
  async run(argv) {
    const { values: v } = parse(argv, {
      vehicles: { type: 'string' },
      flavour: { type: 'string' },
      numbering: { type: 'string' },
      'base-port': { type: 'string' },
      host: { type: 'string' },
      gcs: { type: 'string' },
      speed: { type: 'string' },
      home: { type: 'string' },
      spacing: { type: 'string' },
      'battery-j': { type: 'string' },
      param: { type: 'string', multiple: true },
      'tlog-dir': { type: 'string' },
      'signing-key': { type: 'string' },
      'signing-keys': { type: 'string' },
      workers: { type: 'string' },
    });
    if (v['signing-key'] && v['signing-keys']) throw new UsageError('give --signing-key or --signing-keys, not both');
    const signingKey = v['signing-key'] ? mavlinkKeyFrom(v['signing-key'], 'signing-key') : undefined;
    const vehicles = int(v.vehicles, 'vehicles', 1, 1, MAX_VEHICLES);
    const workers = int(v.workers, 'workers', 0, 0, 64);
    if (workers > 0 && (signingKey || v['signing-keys'] || v['tlog-dir'])) throw new UsageError('--workers cannot be combined with --signing-key(s) or --tlog-dir');
    if (vehicles > SYSIDS_PER_LINK && v['signing-keys']) throw new UsageError(`--signing-keys names keys by system id: at most ${SYSIDS_PER_LINK} vehicles (use --signing-key for a larger fleet)`);
    const keyDir = v['signing-keys'];
    // Read every key before starting anything: a missing file is a usage error, not a half-started fleet.
    const keys = keyDir ? Array.from({ length: vehicles }, (_, i) => mavlinkKeyFrom(path.join(keyDir, `mavlink-uav-${i + 1}.key`), 'signing-keys')) : undefined;
    const keyFor = keys ? (sysid: number) => keys[sysid - 1] : undefined;
    const flavours = ['ardupilot', 'px4'] as const;
    const flavour: AutopilotFlavour = oneOf(v.flavour, 'flavour', flavours, 'ardupilot');
    const numbering: AutopilotFlavour = oneOf(v.numbering, 'numbering', flavours, flavour);
    const speed = num(v.speed, 'speed', 1, 1e-3, 1000);
    if (!(speed > 0)) throw new UsageError('--speed must be > 0');
    const tlogDir = v['tlog-dir'];
    if (tlogDir) mkdirSync(tlogDir, { recursive: true });
    const clock = new ScaledClock(speed);
    let fleet: { vehicles: { sysid: number; url: string }[]; stop(): Promise<void> };
    try {
      const base = {
        vehicles,
        flavour,
        numbering,
        home: parseHome(v.home),
        spacingM: num(v.spacing, 'spacing', 5, 0, 10_000),
        basePort: int(v['base-port'], 'base-port', numbering === 'px4' ? 14540 : 5760, 0, 65535),
        params: parseParams(v.param),
        ...(v.host ? { host: v.host } : {}),
        ...(v.gcs ? { gcsUrl: v.gcs } : {}),
        ...(v['battery-j'] !== undefined ? { batteryJ: num(v['battery-j'], 'battery-j', 399_600, 1, 1e9) } : {}),
      };
      fleet =
        workers > 0
          ? await startSitlWorkers({ ...base, workers, speed })
          : await startSitl({
              ...base,
              clock,
              ...(tlogDir ? { tlogDir } : {}),
              ...(signingKey ? { signing: { key: signingKey } } : keyFor ? { signing: { keyFor } } : {}),
            });
    } catch (e) {
      if (e instanceof SitlStartError || e instanceof RangeError) {
        console.error(`uavmec sitl: ${withAdvice(e.message)}`);
        return 1;
      }
      throw e;
    }
    fleet.vehicles.forEach((veh, i) => console.log(`vehicle sysid ${veh.sysid}${vehicles > SYSIDS_PER_LINK ? ` (link ${Math.floor(i / SYSIDS_PER_LINK)})` : ''}: ${veh.url}`));
    console.log(`${fleet.vehicles.length} ${flavour} vehicle(s) running at ×${speed}${v.gcs ? `, pushing to ${v.gcs}` : ''}; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await fleet.stop();
    return 0;
  },
};

export default command;
