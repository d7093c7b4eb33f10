/**
 * Byte transports by URL: `openTransport('udp://:14550')`, `openServerTransport('udpserver://:14580')`.
 * Schemes: udp, udpin, udpserver, udpout, tcp, tcpin, serial (see url.ts).
 */
export { openTransport, openServerTransport } from './open.ts';
export type { OpenTransportOptions, OpenFailure } from './open.ts';
export { parseTransportUrl, ACCEPTED_SCHEMES } from './url.ts';
export type { TransportSpec } from './url.ts';
export { UdpTransport } from './udp.ts';
export type { UdpMode, UdpOptions } from './udp.ts';
export { TcpClientTransport, TcpServerTransport } from './tcp.ts';
export { SerialTransport } from './serial.ts';
export type { SerialPortFactory, SerialPortLike } from './serial.ts';
export { peerKey } from './types.ts';
export type { Peer, Transport, MultiPeerTransport, TransportStats } from './types.ts';
