// The contract in the browser: the same proto/ files, parsed by protobufjs (its browser build),
// and the topic table from /config.json. decodeTopic(topic, bytes) → {key, params, msg} or null;
// `plain` gives plain objects (numbers for 64-bit integers and enums, defaults filled in) that can
// cross to another thread. A classic script, shared by the page (replay) and the MQTT worker.
/* global protobuf */

self.loadContract = async function loadContract(config) {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/proto/') ? target : `/proto/${target}`);
  await root.load(config.protoFiles, { keepCase: true });
  root.resolveAll();
  const types = new Map();
  const type = (name) => {
    let t = types.get(name);
    if (!t) types.set(name, (t = root.lookupType(`uavmec.v1.${name}`)));
    return t;
  };
  const matchers = config.topics.map((t) => ({
    key: t.key,
    type: t.type,
    re: new RegExp(`^${t.pattern.replace(/\{(uav|user)\}/g, '(?<$1>[1-9][0-9]{0,8})')}$`),
  }));
  const PLAIN = { longs: Number, enums: Number, defaults: true };
  function decodeTopic(topic, bytes, plain = false) {
    for (const m of matchers) {
      const r = m.re.exec(topic);
      if (!r) continue;
      let msg;
      try {
        const t = type(m.type);
        msg = t.decode(bytes);
        if (plain) msg = t.toObject(msg, PLAIN);
      } catch {
        return { key: m.key, bad: true };
      }
      const params = {};
      if (r.groups?.uav) params.uav = Number(r.groups.uav);
      if (r.groups?.user) params.user = Number(r.groups.user);
      return { key: m.key, params, msg };
    }
    return null;
  }
  /** A whole mqtt.rec: length-delimited uavmec.v1.RecordedMessage records. */
  function decodeRecording(buf) {
    const rec = type('RecordedMessage');
    const reader = protobuf.Reader.create(new Uint8Array(buf));
    const out = [];
    while (reader.pos < reader.len) {
      try {
        const m = rec.decodeDelimited(reader);
        out.push({ recvUs: Number(m.recv_t_us), topic: m.topic, payload: m.payload });
      } catch {
        break; // a truncated tail (the recorder was killed mid-write)
      }
    }
    return out;
  }
  return { decodeTopic, decodeRecording };
};
