import fs from 'node:fs';
import path from 'node:path';
import { loadRun } from '../../replay/recording.ts';
import { launchBrowser, openViewFor, startViewServer, viewConfig, wsUrlList } from '../../view/index.ts';
import type { GeometrySource } from '../../view/config.ts';
import { int, parse } from '../args.ts';
import { readFileOption } from '../broker-auth.ts';
import { UsageError, type Command } from '../command.ts';
import { SCENARIO_HELP, SCENARIO_OPTIONS, scenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'view',
  summary: 'the ground-station view in a browser: live from a broker, or replaying a run',
  help: `Usage: uavmec view --broker ws://HOST:PORT [options]      (live)
       uavmec view runs/<id> [options]                      (replay)

Serves a single-page ground-station view (every asset from this package: it works offline) and
prints its URL. Live, the page connects to the broker itself over MQTT-over-WebSocket, subscribes
to uavmec/# and decodes the proto/ contract with protobufjs; it never publishes, so it runs on any
machine that reaches the broker and keeps working when a controller is replaced. It shows a map in
local metres with a latitude/longitude grid (geofence, altitude band, users coloured by offloading
decision, UAVs with heading, trail and coverage disc, offloading links, relay coalitions, pool
tours), a fleet table (mode, armed, altitude, battery, link, failsafe, plan sequence and ack,
last-seen age; a row turns stale after 2 s of mission time without telemetry), per-slot charts
(DOR flown/planned, energy, tasks, late), events and alerts (failsafes blink and beep); click a UAV
for its plan, flight-mode timeline and link health. Given a run folder it replays its mqtt.rec with
a time scrubber, play/pause and speed.

The broker needs a WebSocket listener: \`uavmec broker --ws-port 9001\`, or in Mosquitto's config
  listener 9001
  protocol websockets
(\`uavmec mission --view\` starts the embedded broker with one and opens this view).

Options:
  --broker URL[,URL…]   live: the broker's MQTT-over-WebSocket URL (ws:// or wss://); a clustered
                        broker's nodes as a list: the page moves to the next one when its node goes
  --username U          live: log in as U — use the read-only \`recorder\` identity on a secure broker
  --password-file F     live: its password (first line of F). The page receives it: keep --host on
                        loopback or a trusted network
  --tiles DIR           raster background from a local slippy-map tile folder DIR/{z}/{x}/{y}.png
  --host H              address the view's HTTP server binds (default 127.0.0.1)
  --port P              its port (default 0 = any free port; the URL is printed)
  --open                open the URL in this machine's browser (when there is a desktop)
${SCENARIO_HELP}
  (live: the scenario gives the geofence, altitude band, origin and coverage angle; replay: the
  run's summary.json does)

Examples:
  uavmec broker --port 1883 --ws-port 9001 &   uavmec view --broker ws://127.0.0.1:9001
  uavmec view --broker wss://gs.example.org:9001 --username recorder --password-file recorder.pw
  uavmec view runs/2026-11-21T05-52-34-112Z --open`,
  async run(argv) {
    const { values: v, positionals } = parse(argv, {
      broker: { type: 'string' }, username: { type: 'string' }, 'password-file': { type: 'string' },
      tiles: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, open: { type: 'boolean' },
      ...SCENARIO_OPTIONS,
    }, true);
    if (positionals.length > 1) throw new UsageError('give at most one run folder');
    const tilesDir = v.tiles;
    if (tilesDir !== undefined && !fs.existsSync(tilesDir)) throw new UsageError(`--tiles: folder '${tilesDir}' does not exist`);
    const net = { ...(v.host ? { host: v.host } : {}), port: int(v.port, 'port', 0, 0, 65535), ...(tilesDir ? { tilesDir } : {}) };
    let url: string;
    let close: () => Promise<void>;
    if (positionals.length === 1) {
      if (v.broker || v.username || v['password-file']) throw new UsageError('a replay reads the run folder: --broker, --username and --password-file are for the live view');
      const dir = positionals[0]!;
      const run = loadRun(dir);
      if (!run.ok) throw new UsageError(`${dir}: ${run.detail ?? run.reason}`);
      const scenario = run.value.summary.scenario as unknown as GeometrySource & { slotS: number };
      const s = await startViewServer({ config: viewConfig({ mode: 'replay', run: path.basename(path.resolve(dir)), scenario, tiles: tilesDir !== undefined }), recordingFile: path.join(dir, 'mqtt.rec'), ...net });
      url = s.url;
      close = s.close;
    } else {
      if (!v.broker) throw new UsageError('give --broker ws://HOST:PORT (live) or a run folder (replay)');
      try {
        wsUrlList(v.broker);
      } catch (e) {
        throw new UsageError(`--broker: ${(e as Error).message} — add a websockets listener to the broker (see --help)`);
      }
      if (v['password-file'] && !v.username) throw new UsageError('--password-file needs --username');
      const password = v['password-file'] ? readFileOption(v['password-file'], 'password-file').toString('utf8').split(/\r?\n/)[0]! : undefined;
      const s = await openViewFor({ wsUrl: v.broker, ...(v.username ? { username: v.username } : {}), ...(password ? { password } : {}), scenario: scenarioFrom(v), ...net });
      url = s.url;
      close = s.close;
    }
    console.log(url);
    if (v.open) launchBrowser(url);
    process.stderr.write('· view served; Ctrl-C to stop\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await close();
    return 0;
  },
};
export default command;
