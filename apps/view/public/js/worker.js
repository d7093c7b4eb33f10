// The live feed off the page's main thread: MQTT over WebSocket (mqtt's browser bundle) and
// protobuf decoding run here; decoded messages go to the page in batches. The view subscribes to
// uavmec/# read-only — under --secure it logs in as the recorder identity, whose ACL grants no
// publish — and never publishes. Connection changes go to the page as status messages.
/* global mqtt, loadContract */
importScripts('/vendor/protobuf.min.js', '/vendor/mqtt.min.js', '/app/js/contract.js');

let batch = [];
let timer = 0;
const flush = () => {
  timer = 0;
  const items = batch;
  batch = [];
  postMessage({ type: 'batch', items });
};

onmessage = async (e) => {
  const { config } = e.data;
  const contract = await loadContract(config);
  const ws = config.ws;
  // A cluster's nodes: each (re)connection takes the next URL, as the bus moves along its broker
  // list, so a dead node is left for the next one (the page sees the same topics on every node).
  const urls = ws.urls?.length ? ws.urls : [ws.url];
  let attempt = 0;
  let node = urls[0];
  const client = mqtt.connect(urls[0], {
    clientId: `uavmec-view-${Math.random().toString(36).slice(2, 10)}`,
    username: ws.username, password: ws.password,
    reconnectPeriod: urls.length > 1 ? 500 : 1000, connectTimeout: urls.length > 1 ? 5_000 : 10_000, clean: true, protocolVersion: 4,
    transformWsUrl: () => (node = urls[attempt++ % urls.length]),
  });
  const status = (state, what, err) => postMessage({ type: 'status', state, what, err, node });
  let everConnected = false, down = false;
  client.on('connect', () => {
    client.subscribe('uavmec/#', { qos: 0 });
    status('connected', everConnected && down ? 'restored' : undefined);
    everConnected = true; down = false;
  });
  const lost = (why) => {
    if (down) return;
    down = true;
    status(everConnected ? 'offline' : 'error', everConnected ? why : undefined);
  };
  client.on('offline', () => lost('broker connection lost'));
  client.on('close', () => everConnected && lost('broker connection closed'));
  client.on('error', (err) => status('error', undefined, String(err?.message ?? err)));
  client.on('message', (topic, payload) => {
    const d = contract.decodeTopic(topic, payload, true);
    if (!d || d.bad) return;
    batch.push(d);
    timer ||= setTimeout(flush, 15);
  });
};
