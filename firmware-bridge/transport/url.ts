/**
 * Transport URLs (pure parsing):
 * - `udp://[host]:port`     listen on host (default 0.0.0.0); `send` replies to the last peer heard
 * - `udpin://[host]:port`   same as udp://
 * - `udpserver://[host]:port` listen; `send` goes to every fixed peer and every peer heard within
 *                           `peerTimeoutMs` (multi-vehicle SITL / several GCSs)
 * - `udpout://host:port`    send to a fixed peer from an ephemeral port; replies are received
 * - `tcp://host:port`       client, reconnecting
 * - `tcpin://[host]:port`   server; `send` goes to every connected client
 * - `serial:///dev/ttyX:baud` (also `serial://COM3:57600`)
 */
import type { Result } from '../../core/result.ts';
import { ok, fail } from '../../core/result.ts';

export type TransportSpec =
  | { scheme: 'udp' | 'udpin' | 'udpserver' | 'tcpin'; host: string; port: number }
  | { scheme: 'udpout' | 'tcp'; host: string; port: number }
  | { scheme: 'serial'; path: string; baudRate: number };

export const ACCEPTED_SCHEMES = ['udp', 'udpin', 'udpserver', 'udpout', 'tcp', 'tcpin', 'serial'] as const;

const HELP = `accepted: udp://[host]:port, udpin://[host]:port, udpserver://[host]:port, udpout://host:port, tcp://host:port, tcpin://[host]:port, serial:///dev/ttyX:baud`;

function hostPort(rest: string, needHost: boolean): Result<{ host: string; port: number }, 'bad_url'> {
  let host: string;
  let portStr: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    portStr = v6[2]!;
  } else {
    const i = rest.lastIndexOf(':');
    if (i < 0) return fail('bad_url', `missing :port; ${HELP}`);
    host = rest.slice(0, i);
    portStr = rest.slice(i + 1);
    if (host.includes(':')) return fail('bad_url', `IPv6 hosts must be in brackets; ${HELP}`);
  }
  if (!/^\d+$/.test(portStr)) return fail('bad_url', `port must be a number, got '${portStr}'; ${HELP}`);
  const port = Number(portStr);
  if (port > 65535) return fail('bad_url', `port ${port} out of range 0–65535`);
  if (!host) {
    if (needHost) return fail('bad_url', `a host is required; ${HELP}`);
    host = '0.0.0.0';
  }
  if (needHost && port === 0) return fail('bad_url', 'destination port 0 is not valid');
  return ok({ host, port });
}

export function parseTransportUrl(url: string): Result<TransportSpec, 'bad_url'> {
  const m = /^([a-z]+):\/\/(.*)$/.exec(url.trim());
  if (!m) return fail('bad_url', `'${url}' is not a transport URL; ${HELP}`);
  const scheme = m[1]!;
  const rest = m[2]!;
  switch (scheme) {
    case 'udp':
    case 'udpin':
    case 'udpserver':
    case 'tcpin': {
      const hp = hostPort(rest, false);
      return hp.ok ? ok({ scheme, ...hp.value }) : hp;
    }
    case 'udpout':
    case 'tcp': {
      const hp = hostPort(rest, true);
      return hp.ok ? ok({ scheme, ...hp.value }) : hp;
    }
    case 'serial': {
      const i = rest.lastIndexOf(':');
      if (i <= 0) return fail('bad_url', `serial URL needs a device and a baud rate, e.g. serial:///dev/ttyUSB0:57600`);
      const path = rest.slice(0, i);
      const baud = rest.slice(i + 1);
      if (!/^\d+$/.test(baud) || Number(baud) <= 0) return fail('bad_url', `baud rate must be a positive integer, got '${baud}'`);
      return ok({ scheme, path, baudRate: Number(baud) });
    }
    default:
      return fail('bad_url', `unknown scheme '${scheme}'; ${HELP}`);
  }
}
