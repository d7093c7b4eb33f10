/**
 * Byte transports for MAVLink links. A transport moves opaque bytes; framing is the decoder's job.
 * `datagram` tells the consumer whether each `onData` chunk is one whole datagram (UDP: feed it
 * to `MavlinkDecoder.pushDatagram`) or an arbitrary slice of a byte stream (TCP, serial: `push`).
 * `send` never throws: failures (no peer yet, socket down) are counted and reported via `onError`.
 */
export interface Peer {
  /** 'udp' peers are address:port pairs; 'tcp' peers are accepted connections. */
  kind: 'udp' | 'tcp';
  address: string;
  port: number;
}

export const peerKey = (p: Peer): string => `${p.kind}://${p.address.includes(':') ? `[${p.address}]` : p.address}:${p.port}`;

export interface TransportStats {
  bytesIn: number;
  bytesOut: number;
  chunksIn: number;
  chunksOut: number;
  /** Sends dropped: no peer known yet, socket not connected, or a send error. */
  sendDropped: number;
  errors: number;
  reconnects: number;
}

export const emptyTransportStats = (): TransportStats => ({
  bytesIn: 0,
  bytesOut: 0,
  chunksIn: 0,
  chunksOut: 0,
  sendDropped: 0,
  errors: 0,
  reconnects: 0,
});

export interface Transport {
  readonly url: string;
  readonly datagram: boolean;
  /** Sends to the transport's current destination (see each scheme). */
  send(buf: Uint8Array): void;
  /** Subscribes to incoming bytes; returns an unsubscribe function. */
  onData(fn: (buf: Buffer) => void): () => void;
  onError(fn: (err: Error) => void): () => void;
  stats(): TransportStats;
  close(): Promise<void>;
}

/**
 * A transport with several peers (UDP server socket, TCP server). `onDataFrom` tells which peer
 * sent each chunk, so a stream consumer can keep one decoder per peer.
 */
export interface MultiPeerTransport extends Transport {
  onDataFrom(fn: (buf: Buffer, peer: Peer) => void): () => void;
  sendTo(buf: Uint8Array, peer: Peer): void;
  /** Peers currently known (fixed peers first, then those heard from, most recent last). */
  peers(): Peer[];
  /** Adds a destination that always receives `send` (e.g. a GCS on udp 14550). */
  addFixedPeer(peer: Peer): void;
  /** Local port actually bound (useful with port 0). */
  readonly localPort: number;
}
