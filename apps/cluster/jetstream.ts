/**
 * The one JetStream stream uavmec creates itself on a nats-server cluster (issue 19 §2), before
 * any MQTT client connects: `$MQTT_msgs`, where nats-server keeps every QoS 1 message for its MQTT
 * subscribers — with *limits* retention (kept for `maxAgeS`, whoever has acknowledged it) instead
 * of the *interest* retention nats-server 2.9 gives it when it creates it itself.
 *
 * Why: with interest retention and replicated (R3) consumers — every persistent MQTT session has
 * one per subscription — nats-server 2.9.10 now and then removes a QoS 1 message once one
 * subscriber has acknowledged it, before the others' consumers delivered it: measured on a
 * 3-node loopback cluster, 6 publishers at 5 Hz, three persistent-session subscribers, 40 s, no
 * node killed: 4–11 of ~1,170 messages missing per subscriber, the same ones missing at two
 * subscribers and present at the third. With consumers at R1 (`consumer_replicas: 1`) nothing was
 * lost — but a subscriber whose consumer lived on a killed node lost everything after the kill.
 * With this stream at limits retention a message stays until it ages out, and every consumer
 * delivers it (docs/failover.md, "Telemetry loss"). nats-server accepts a `$MQTT_msgs` that
 * already exists (it only warns when its replicas differ).
 *
 * The request goes over the NATS client protocol (PUB to the JetStream API, reply on an inbox):
 * a few lines of text on a socket, no NATS client library needed.
 */
import net from 'node:net';

export interface StreamCreateResult {
  created: boolean;
  /** The API's error text, if it refused. */
  error?: string;
}

/** One request/reply over the NATS protocol; rejects on timeout or a closed socket. */
export function natsRequest(host: string, port: number, subject: string, body: string, timeoutMs: number, login?: { user: string; password: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const inbox = `_INBOX.uavmec.${process.pid}.${Math.random().toString(36).slice(2)}`;
    const s = net.connect(port, host);
    let buf = '';
    const done = (e: Error | undefined, v?: string) => {
      clearTimeout(t);
      s.destroy();
      if (e) reject(e);
      else resolve(v!);
    };
    const t = setTimeout(() => done(new Error(`no reply to ${subject} within ${timeoutMs} ms`)), timeoutMs);
    s.on('error', (e) => done(e));
    s.on('close', () => done(new Error('connection closed before the reply')));
    s.once('connect', () => {
      const bytes = Buffer.byteLength(body);
      const auth = login ? `,"user":${JSON.stringify(login.user)},"pass":${JSON.stringify(login.password)}` : '';
      s.write(`CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1${auth}}\r\nSUB ${inbox} 1\r\nPUB ${subject} ${inbox} ${bytes}\r\n${body}\r\nPING\r\n`);
    });
    s.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (;;) {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) return;
        const line = buf.slice(0, eol);
        if (line.startsWith('PING')) s.write('PONG\r\n');
        if (line.startsWith('-ERR')) return done(new Error(line));
        const m = /^(MSG|HMSG) \S+ \S+ (?:\S+ )?(?:(\d+) )?(\d+)$/.exec(line);
        if (m) {
          const total = Number(m[3]);
          if (buf.length < eol + 2 + total + 2) return;
          const payload = buf.slice(eol + 2, eol + 2 + total);
          // A header-only reply (HMSG, status 503) is "no responders": JetStream not ready yet.
          if (m[1] === 'HMSG') return done(new Error(payload.split('\r\n')[0] ?? 'no responders'));
          return done(undefined, payload);
        }
        buf = buf.slice(eol + 2);
      }
    });
  });
}

/** Creates `$MQTT_msgs` with limits retention; retried until JetStream has a meta leader or `timeoutMs` passes. */
export async function createMqttMessagesStream(host: string, port: number, o: { replicas: number; maxAgeS: number; timeoutMs: number; login?: { user: string; password: string } }): Promise<StreamCreateResult> {
  const cfg = {
    name: '$MQTT_msgs', subjects: ['$MQTT.msgs.>'], retention: 'limits', storage: 'file', num_replicas: o.replicas,
    max_age: Math.round(o.maxAgeS * 1e9), discard: 'old',
  };
  const until = Date.now() + o.timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = JSON.parse(await natsRequest(host, port, '$JS.API.STREAM.CREATE.$MQTT_msgs', JSON.stringify(cfg), 5000, o.login)) as { error?: { description?: string; err_code?: number } };
      if (!r.error) return { created: true };
      last = r.error.description ?? JSON.stringify(r.error);
      // 10058: a stream of that name exists (an earlier start on the same store): keep it.
      if (r.error.err_code === 10058) return { created: false, error: last };
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { created: false, error: `JetStream did not create $MQTT_msgs within ${o.timeoutMs} ms (${last})` };
}
