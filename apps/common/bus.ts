/**
 * The message bus: MQTT (mqtt:// or mqtts://) carrying contract messages on the topics of the
 * topic table. Publishing fills the header (version, sender, time from the injected clock,
 * per-topic sequence). Every inbound message is decoded and validated before a handler sees it;
 * one that fails is logged with topic and reason, counted and dropped — never acted on, never a
 * crash. A handler that throws is logged and counted too.
 *
 * On a clock with an activity tracker (`VirtualClock`, lockstep missions) the bus reports its
 * work in flight, whatever the broker (embedded, external, over TLS): connecting and subscribing
 * hold the clock until done; each granted subscription is routed to this bus's endpoint
 * (`mqtt:<clientId>`); a publish holds the clock until the client has sent it (QoS 1: the PUBACK
 * arrived) and begins one delivery for every tracked bus that subscribes to its topic, which
 * that bus ends after all its handlers ran. So the clock moves on only once every
 * message published at an instant has been handled by every participant — publishes are counted
 * against deliveries, no broker hook needed. A bus with `track: false` (an outsider: an attacker
 * in a test, a probe) neither counts nor is counted; what it sends arrives off the clock.
 *
 * Broker lists (issue 19 §2): `url` may name several nodes of a clustered broker, comma-separated
 * (`mqtt://a:1883,mqtt://b:1883,mqtt://c:1883`). The client connects to the first that answers
 * and, when its node goes away, reconnects along the list (wrapping round) every
 * `reconnectPeriod`; with a persistent session the cluster hands the session (subscriptions, QoS 1
 * messages queued for it) to the new node, and the client resends its unacknowledged QoS 1
 * publishes there. `brokerUrl` says which node it is on, `stats.connects` how often it connected.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ActivityTracker, Clock } from '../../core/clock.ts';
import {
  CONTRACT_VERSION,
  decode,
  encode,
  matchTopic,
  topicFilter,
  topicName,
  topicSpec,
  type MessageInput,
  type Messages,
  type TopicKey,
  type TopicParams,
  type TopicType,
} from '../../proto/index.ts';
import type { Logger } from './log.ts';

export type MessageOf<K extends TopicKey> = Messages[TopicType<K>];

export interface Delivery {
  topic: string;
  params: TopicParams;
  /** Receive time on this process's clock, µs. */
  recvUs: number;
}

/** Who this client is to the broker, and how long it tries to reach it: shared by every MQTT connection. */
export interface BrokerCredentials {
  username?: string;
  password?: string;
  /** TLS material for mqtts:// (PEM). */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** How long to keep retrying the first connection, ms of wall time (default 10 s). */
  connectTimeoutMs?: number;
}

/** The mqtt.js options for `BrokerCredentials` (only the fields that are set). */
export function credentialOptions(c: BrokerCredentials): Partial<IClientOptions> {
  const o: Partial<IClientOptions> = { connectTimeout: c.connectTimeoutMs ?? 10_000 };
  if (c.username !== undefined) o.username = c.username;
  if (c.password !== undefined) o.password = c.password;
  if (c.ca) o.ca = c.ca;
  if (c.cert) o.cert = c.cert;
  if (c.key) o.key = c.key;
  return o;
}

export interface BusOptions extends BrokerCredentials {
  /** One broker URL, or several nodes of one clustered broker separated by commas (tried in order). */
  url: string;
  clientId: string;
  /** Goes into every header: "controller", "uav-<id>", "world". */
  sender: string;
  clock: Clock;
  log: Logger;
  /** Keep the session (subscriptions and queued QoS 1 messages) across disconnects. */
  persistentSession?: boolean;
  /** Report traffic to the clock's activity tracker, if it has one (default true). */
  track?: boolean;
  /**
   * Last will: a contract message the broker publishes for this client when its connection dies
   * without a DISCONNECT (a crash, a cut link). Encoded once at connect (header seq 0); never retained.
   */
  will?: { key: TopicKey; params?: TopicParams; msg: MessageInput<Messages[TopicType<TopicKey>]> };
}

export interface BusStats {
  published: number;
  received: number;
  /** Dropped inbound messages by reason: undecodable, invalid, bad_version, bad_header, unknown_topic, handler_error. */
  dropped: Record<string, number>;
  /** Dropped inbound messages by topic key. */
  droppedByTopic: Record<string, number>;
  /** Successful connections (1 + reconnects, including failovers to another node). */
  connects: number;
  /** QoS 1 publishes sent again after their connection closed before the broker had them. */
  resent: number;
}

/** When a QoS 1 message lost unsent with its connection is sent again (`Bus.publishBytes`). */
export interface PublishRetry {
  /** Whether it is still worth sending (default: until the bus is closed); e.g. a plan until it expires. */
  keepTrying?: () => boolean;
  /** Told about each loss before the message is sent again (logs). */
  onRetry?: (attempt: number, err: Error) => void;
}

/** What mqtt.js rejects a QoS 1 publish with when the connection it was queued on closes. */
export const CONNECTION_CLOSED = 'Connection closed';

/**
 * The broker URLs in a `--broker` value: one URL or a comma-separated list of the nodes of one
 * clustered broker. Throws an Error saying what is wrong (the CLI prints its message).
 */
export function parseBrokerUrls(spec: string): string[] {
  const urls = spec.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  if (urls.length === 0) throw new Error(`no broker URL in '${spec}': give mqtt://host:port, or several separated by commas`);
  for (const u of urls) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new Error(`'${u}' is not a URL: give mqtt://host:port or mqtts://host:port`);
    }
    if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') throw new Error(`broker URL must start with mqtt:// or mqtts://, got '${u}'`);
    if (!url.hostname) throw new Error(`broker URL '${u}' has no host`);
  }
  return urls;
}

/** Whether `DEBUG` (the `debug` package's switch, read by mqtt.js) selects mqtt.js's namespaces. */
function mqttDebugWanted(): boolean {
  const d = process.env.DEBUG;
  return d !== undefined && d.split(/[\s,]+/).some((p) => !p.startsWith('-') && (p === '*' || p.startsWith('mqttjs')));
}

const defaultPort = (protocol: string) => (protocol === 'mqtts:' ? 8883 : 1883);

type Handler = (msg: never, d: Delivery) => void;
/** Told about an inbound message on a subscribed topic that was dropped (after it was counted). */
export type RejectHandler = (reason: string, detail: string | undefined, payload: Uint8Array, d: Delivery) => void;

export class Bus {
  readonly stats: BusStats = { published: 0, received: 0, dropped: {}, droppedByTopic: {}, connects: 1, resent: 0 };
  private readonly handlers = new Map<string, Handler[]>();
  private readonly rejectHandlers = new Map<string, RejectHandler>();
  private readonly seq = new Map<string, number>();
  private readonly rawHandlers: ((topic: string, payload: Buffer) => void)[] = [];
  /** Granted subscription filters (tracked buses only). */
  private readonly filters: string[] = [];
  /** Set by `close` and `kill`: QoS 1 messages lost with a connection are no longer sent again. */
  private closed = false;
  private constructor(
    private readonly client: MqttClient,
    private readonly opts: BusOptions,
  ) {
    const activity = this.activity;
    const inbound = `mqtt:${opts.clientId}`;
    // The first connection happened before this constructor: every later one is a reconnect.
    client.on('connect', () => {
      this.stats.connects++;
      noDelay(client);
    });
    noDelay(client);
    client.on('message', (topic, payload) => {
      try {
        this.onMessage(topic, payload);
        for (const h of this.rawHandlers) h(topic, payload);
      } finally {
        activity?.end(inbound);
      }
    });
  }

  /** The clock's activity tracker when this bus reports to it. */
  private get activity(): ActivityTracker | undefined {
    return this.opts.track === false ? undefined : this.opts.clock.activity;
  }

  static async connect(opts: BusOptions): Promise<Bus> {
    const urls = parseBrokerUrls(opts.url);
    const options: IClientOptions = {
      clientId: opts.clientId,
      clean: !opts.persistentSession,
      // With a list, a dead node is left for the next one quickly (a refused connect costs nothing).
      reconnectPeriod: urls.length > 1 ? 200 : 500,
      protocolVersion: 4,
      // mqtt.js calls its debug logger 6 times per inbound QoS 0 PUBLISH; disabled, each call still
      // costs a check (issue 20: bench:telemetry's "logger off" peer). DEBUG=mqttjs* keeps it.
      ...(mqttDebugWanted() ? {} : { log: () => undefined }),
      ...credentialOptions(opts),
    };
    if (urls.length > 1) {
      options.servers = urls.map((u) => {
        const x = new URL(u);
        return { host: x.hostname, port: x.port ? Number(x.port) : defaultPort(x.protocol), protocol: x.protocol === 'mqtts:' ? 'mqtts' : 'mqtt' };
      });
    }
    if (opts.will) {
      const { key, params, msg } = opts.will;
      const header = { version: CONTRACT_VERSION, sender: opts.sender, t_us: Math.round(opts.clock.nowUs()), seq: 0 };
      const payload = Buffer.from(encode(topicSpec(key).type, { ...(msg as object), header } as never));
      options.will = { topic: topicName(key, params ?? {}), payload, qos: topicSpec(key).qos, retain: false };
    }
    const activity = opts.track === false ? undefined : opts.clock.activity;
    try {
      const client = await (activity ? activity.during(mqtt.connectAsync(urls[0]!, options), `mqtt-connect:${opts.clientId}`) : mqtt.connectAsync(urls[0]!, options));
      activity?.register(`mqtt:${opts.clientId}`);
      return new Bus(client, opts);
    } catch (e) {
      throw new Error(`cannot connect to the MQTT broker at ${opts.url}: ${(e as Error).message}. Is it running, and are the credentials right?`, { cause: e });
    }
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** The broker node this bus is (or was last) connected to: mqtt(s)://host:port. */
  get brokerUrl(): string {
    const o = this.client.options;
    return `${o.protocol ?? 'mqtt'}://${o.hostname ?? o.host}:${o.port}`;
  }

  onConnectionChange(fn: (up: boolean) => void): void {
    this.client.on('connect', () => fn(true));
    this.client.on('offline', () => fn(false));
    this.client.on('close', () => fn(false));
  }

  /** Fills the header and publishes. Resolves when the broker has the message (QoS 1) or it is sent (QoS 0). */
  async publish<K extends TopicKey>(key: K, params: TopicParams, msg: MessageInput<MessageOf<K>>): Promise<void> {
    const topic = topicName(key, params);
    const bytes = this.encodeWithHeader(key, topic, msg);
    await this.publishBytes(topic, bytes, topicSpec(key).qos, topicSpec(key).retain);
  }

  /** Encodes with a fresh header without sending (for outboxes and signing). */
  encodeWithHeader<K extends TopicKey>(key: K, topic: string, msg: MessageInput<MessageOf<K>>): Uint8Array {
    const seq = (this.seq.get(topic) ?? 0) + 1;
    this.seq.set(topic, seq);
    const header = { version: CONTRACT_VERSION, sender: this.opts.sender, t_us: Math.round(this.opts.clock.nowUs()), seq };
    return encode(topicSpec(key).type, { ...(msg as object), header } as never);
  }

  /**
   * Publishes bytes as they are (recorded replays, outbox delivery, fuzzing).
   *
   * QoS 1 survives its connection closing before the broker took it (issue 19): mqtt.js resends
   * the QoS 1 messages it had *sent* when a session reconnects, one at a time, each after the
   * previous PUBACK; a message published meanwhile waits in a queue, and when that connection
   * closes too the queue is emptied with "Connection closed" — never sent, never resent. A
   * clustered broker re-electing after a node's death acknowledges nothing for seconds and closes
   * connections meanwhile (docs/failover.md, "A slot without plans"; test/cluster/resend.test.ts).
   * Such a message is sent again once the client is back, until the broker has it, this bus is
   * closed, or `retry.keepTrying()` says it is no longer worth sending (an expired plan).
   * At-least-once, as QoS 1 always is; one mqtt.js never sent is not duplicated.
   */
  async publishBytes(topic: string, bytes: Uint8Array, qos: 0 | 1, retain = false, retry: PublishRetry = {}): Promise<void> {
    const a = this.activity;
    const inFlight = a?.beginDeliveries(topic) ?? [];
    this.stats.published++;
    try {
      // The publish itself holds the clock too (until the PUBACK at QoS 1): a sender that waits
      // for it before its next message (the agents' uplink) sends that one at the same instant.
      const sent = this.sendAtLeastOnce(topic, Buffer.from(bytes), qos, retain, retry);
      await (a ? a.during(sent, `mqtt-publish:${this.opts.clientId}`) : sent);
    } catch (e) {
      // Never sent: nobody will receive it.
      for (const k of inFlight) a!.end(k);
      this.stats.published--;
      throw e;
    }
  }

  private async sendAtLeastOnce(topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, retry: PublishRetry): Promise<void> {
    const worthIt = () => !this.closed && (retry.keepTrying?.() ?? true);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.publishAsync(topic, payload, { qos, retain });
        return;
      } catch (e) {
        const err = e as Error;
        if (qos !== 1 || err?.message !== CONNECTION_CLOSED || !worthIt()) throw e;
        this.stats.resent++;
        retry.onRetry?.(attempt, err);
        while (!this.client.connected && worthIt()) await new Promise<void>((r) => setTimeout(r, 50).unref());
        if (!worthIt()) throw e;
      }
    }
  }

  /** Sees every inbound message of the subscriptions already made (topic, raw payload) without subscribing again (diagnostics). */
  tap(fn: (topic: string, payload: Buffer) => void): void {
    this.rawHandlers.push(fn);
  }

  /** Subscribes to a topic of the table; unset ids are wildcards. */
  async subscribe<K extends TopicKey>(
    key: K,
    params: TopicParams,
    handler: (msg: MessageOf<K>, d: Delivery) => void,
    onReject?: RejectHandler,
  ): Promise<void> {
    const filter = topicFilter(key, params);
    const list = this.handlers.get(key) ?? [];
    list.push(handler as Handler);
    this.handlers.set(key, list);
    if (onReject) this.rejectHandlers.set(key, onReject);
    await this.subscribeFilter(filter, topicSpec(key).qos);
  }

  /**
   * SUBSCRIBE, again on a refusal (SUBACK 0x80): a clustered broker (NATS) refuses a QoS 1
   * subscription when it cannot create its JetStream consumer in time, e.g. under load or while
   * a node is down. Up to 5 tries, 250 ms apart (wall time); the last refusal is thrown.
   */
  private async subscribeRetrying(filter: string, qos: 0 | 1): Promise<{ qos: number }[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.subscribeAsync(filter, { qos });
      } catch (e) {
        if (attempt >= 5 || !this.client.connected) throw e;
        this.opts.log.warn({ filter, attempt, err: (e as Error).message }, 'subscription refused; retrying');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Subscribes to raw bytes under a filter (the recorder). */
  async subscribeRaw(filter: string, handler: (topic: string, payload: Buffer, recvUs: number) => void): Promise<void> {
    this.rawHandlers.push((topic, payload) => {
      if (mqttMatch(filter, topic)) handler(topic, payload, this.opts.clock.nowUs());
    });
    await this.subscribeFilter(filter, 1);
  }

  /**
   * Drops the connection as a crash would: the socket is destroyed without a DISCONNECT, so the
   * broker publishes this client's last will. For chaos runs and tests; the bus is unusable after.
   */
  async kill(): Promise<void> {
    this.closed = true;
    this.activity?.unregister(`mqtt:${this.opts.clientId}`);
    this.client.options.reconnectPeriod = 0;
    this.client.stream?.destroy();
    await this.client.endAsync(true).catch(() => undefined);
  }

  /**
   * Disconnects cleanly (DISCONNECT: no last will). A clean end waits for QoS 1 messages in
   * flight; a broker that never acknowledges them (a cluster stalled, a node gone) would hold
   * that forever, so after `graceMs` of wall time (default 3 s) the client is closed by force.
   */
  async close(graceMs = 3000): Promise<void> {
    this.closed = true;
    this.activity?.unregister(`mqtt:${this.opts.clientId}`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    const r = await Promise.race([this.client.endAsync().then(() => 'ended' as const), late]);
    clearTimeout(timer);
    if (r === 'late') await this.client.endAsync(true);
  }

  /** Subscribes (holding the clock until the SUBACK) and routes what the broker granted to this bus. */
  private async subscribeFilter(filter: string, qos: 0 | 1): Promise<void> {
    const a = this.activity;
    if (!a) return void (await this.subscribeRetrying(filter, qos));
    if (this.filters.some((f) => mqttOverlap(f, filter))) throw new Error(`subscription ${filter} overlaps ${this.filters.find((f) => mqttOverlap(f, filter))} on one tracked bus: the clock could not count its deliveries`);
    const granted = await a.during(this.subscribeRetrying(filter, qos), `mqtt-subscribe:${this.opts.clientId}`);
    if (granted.some((g) => g.qos === 128)) return;
    this.filters.push(filter);
    a.route(`mqtt:${this.opts.clientId}`, (topic) => mqttMatch(filter, topic));
  }

  private drop(topic: string, reason: string, detail?: string): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
    const key = matchTopic(topic)?.spec.key ?? 'other';
    this.stats.droppedByTopic[key] = (this.stats.droppedByTopic[key] ?? 0) + 1;
    this.opts.log.warn({ topic, reason, detail }, 'dropped inbound message');
  }

  private onMessage(topic: string, payload: Buffer): void {
    const m = matchTopic(topic);
    if (!m) {
      if (this.handlers.size > 0 && [...this.handlers.keys()].some((k) => mqttMatch(topicFilter(k as TopicKey), topic))) this.drop(topic, 'unknown_topic');
      return;
    }
    const handlers = this.handlers.get(m.spec.key);
    if (!handlers) return;
    this.stats.received++;
    const d: Delivery = { topic, params: m.params, recvUs: this.opts.clock.nowUs() };
    const r = decode(m.spec.type, payload);
    if (!r.ok) {
      this.drop(topic, r.reason, r.detail);
      try {
        this.rejectHandlers.get(m.spec.key)?.(r.reason, r.detail, payload, d);
      } catch (e) {
        this.opts.log.error({ topic, err: e }, 'reject handler failed');
      }
      return;
    }
    for (const h of handlers) {
      try {
        h(r.value as never, d);
      } catch (e) {
        this.stats.dropped.handler_error = (this.stats.dropped.handler_error ?? 0) + 1;
        this.opts.log.error({ topic, err: e }, 'message handler failed');
      }
    }
  }
}

/** Whether some topic could match both filters (same filter, or wildcards that cover each other). */
export function mqttOverlap(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '#' || y[i] === '#') return true;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== '+' && y[i] !== '+' && x[i] !== y[i]) return false;
  }
  return true;
}

/** MQTT topic-filter matching (`+` one level, `#` the rest; `$` topics never match a leading wildcard). */
export function mqttMatch(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Small MQTT packets go out at once (TCP_NODELAY on the connection's socket, plain or TLS): with
 * Nagle's algorithm and delayed ACKs each publish could wait ~40 ms for the previous one's ACK on
 * loopback — 90 % of a lockstep mission's wall time, spent idle.
 */
function noDelay(client: MqttClient): void {
  (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
}
