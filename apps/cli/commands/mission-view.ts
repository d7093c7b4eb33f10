/**
 * `uavmec mission --view`: the embedded broker gets a WebSocket listener and the ground-station
 * view (apps/view) is served for the mission while it flies — logged in as the read-only recorder
 * identity in secure mode. With --broker, --view-ws names that broker's WebSocket listener.
 */
import type { MissionBrokerInfo, MissionOptions } from '../../mission/run.ts';
import { openViewFor, type ViewServer } from '../../view/index.ts';
import type { GeometrySource } from '../../view/config.ts';
import type { OptionSpec } from '../args.ts';
import { UsageError } from '../command.ts';

export const VIEW_OPTIONS = {
  view: { type: 'boolean' },
  'view-ws': { type: 'string' },
  'view-port': { type: 'string' },
} as const satisfies OptionSpec;

export const VIEW_HELP = `Ground-station view (apps/view; see \`uavmec view --help\`):
  --view             serve the live view of this mission in a browser (its URL is printed and
                     opened when there is a desktop); the embedded broker gets a WebSocket listener.
                     Secure missions: the view logs in as the read-only recorder identity
  --view-ws URL      with --broker: that broker's MQTT-over-WebSocket URL (ws://HOST:PORT)
  --view-port P      the view's HTTP port (default: any free port)`;

export function missionView(v: Record<string, string | boolean | undefined>, scenario: GeometrySource & { slotS: number }): { missionOptions: Partial<MissionOptions>; close(): Promise<void> } {
  if (!v.view) {
    if (v['view-ws'] !== undefined || v['view-port'] !== undefined) throw new UsageError('--view-ws and --view-port need --view');
    return { missionOptions: {}, close: async () => undefined };
  }
  if (v.broker && !v['view-ws']) throw new UsageError('--view with --broker needs that broker\'s WebSocket listener: --view-ws ws://HOST:PORT');
  if (v['view-ws'] !== undefined && !/^wss?:\/\//.test(String(v['view-ws']))) throw new UsageError(`--view-ws expects a ws:// or wss:// URL, got '${String(v['view-ws'])}'`);
  const port = v['view-port'] === undefined ? 0 : Number(v['view-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--view-port must be a port number, got '${String(v['view-port'])}'`);
  let server: ViewServer | undefined;
  const onBroker = async (b: MissionBrokerInfo) => {
    const wsUrl = typeof v['view-ws'] === 'string' ? v['view-ws'] : b.wsUrl;
    if (!wsUrl) throw new Error('the broker has no WebSocket listener for the view');
    const rec = b.credentials?.('recorder');
    server = await openViewFor({ wsUrl, ...(rec?.username ? { username: rec.username } : {}), ...(rec?.password ? { password: rec.password } : {}), scenario, port, launch: true });
    process.stderr.write(`· view ${server.url}\n`);
  };
  return { missionOptions: { websocket: true, onBroker }, close: async () => server?.close() };
}
