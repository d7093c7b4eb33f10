/** `openTransport(url)`: one entry point for every scheme (see url.ts for the list). */
import type { Clock } from '../../core/clock.ts';
import type { Result } from '../../core/result.ts';
import { ok, fail } from '../../core/result.ts';
import { parseTransportUrl } from './url.ts';
import { UdpTransport } from './udp.ts';
import { TcpClientTransport, TcpServerTransport } from './tcp.ts';
import { SerialTransport } from './serial.ts';
import type { SerialPortFactory } from './serial.ts';
import type { MultiPeerTransport, Transport } from './types.ts';

export interface OpenTransportOptions {
  /** Time source for UDP peer expiry (and its activity tracker, if any). Default wall time. */
  clock?: Pick<Clock, 'nowUs' | 'activity'>;
  /** udpserver://: forget peers silent for this long. Default 10 000 ms. */
  peerTimeoutMs?: number;
  /** tcp://: delay before reconnecting, wall ms. Default 1000. */
  reconnectMs?: number;
  /** udp*: allow broadcast destinations. */
  broadcast?: boolean;
  /** serial://: alternative port implementation (tests use serialport's SerialPortMock). */
  serialPortFactory?: SerialPortFactory;
}

export type OpenFailure = 'bad_url' | 'open_failed';

/**
 * Opens a transport. Bind/listen/open errors → `fail('open_failed', message)`; a malformed URL
 * → `fail('bad_url', message listing the accepted schemes)`. `tcp://` returns at once and
 * connects (and reconnects) in the background.
 */
export async function openTransport(url: string, opts: OpenTransportOptions = {}): Promise<Result<Transport, OpenFailure>> {
  const spec = parseTransportUrl(url);
  if (!spec.ok) return spec;
  const s = spec.value;
  try {
    switch (s.scheme) {
      case 'udp':
      case 'udpin':
      case 'udpserver':
      case 'udpout':
        return ok(
          await UdpTransport.open({
            url,
            mode: s.scheme === 'udpout' ? 'fixed' : s.scheme === 'udpserver' ? 'all-peers' : 'last-peer',
            host: s.host,
            port: s.port,
            ...(opts.clock ? { clock: opts.clock } : {}),
            ...(opts.peerTimeoutMs !== undefined ? { peerTimeoutMs: opts.peerTimeoutMs } : {}),
            ...(opts.broadcast ? { broadcast: true } : {}),
          }),
        );
      case 'tcp':
        return ok(new TcpClientTransport({ url, host: s.host, port: s.port, ...(opts.reconnectMs !== undefined ? { reconnectMs: opts.reconnectMs } : {}) }));
      case 'tcpin':
        return ok(await TcpServerTransport.open({ url, host: s.host, port: s.port }));
      case 'serial':
        return ok(
          await SerialTransport.open({
            url,
            path: s.path,
            baudRate: s.baudRate,
            ...(opts.serialPortFactory ? { portFactory: opts.serialPortFactory } : {}),
          }),
        );
    }
  } catch (e) {
    return fail('open_failed', `${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Opens a multi-peer transport (udpserver://, udp://, udpin://, tcpin://). */
export async function openServerTransport(
  url: string,
  opts: OpenTransportOptions = {},
): Promise<Result<MultiPeerTransport, OpenFailure>> {
  const spec = parseTransportUrl(url);
  if (!spec.ok) return spec;
  if (!['udp', 'udpin', 'udpserver', 'tcpin'].includes(spec.value.scheme))
    return fail('bad_url', `${url}: a server transport needs udp://, udpin://, udpserver:// or tcpin://`);
  const r = await openTransport(url, opts);
  return r.ok ? ok(r.value as MultiPeerTransport) : r;
}
