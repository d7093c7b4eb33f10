// Live: MQTT over WebSocket straight from the broker (mqtt's browser bundle). The view subscribes
// to uavmec/# read-only — under --secure it logs in as the recorder identity, whose ACL grants no
// publish — and never publishes. Broker outages and recoveries go to the event list.
/* global mqtt */

export function connectLive(ws, contract, onMessage, onStatus) {
  const client = mqtt.connect(ws.url, {
    clientId: `uavmec-view-${Math.random().toString(36).slice(2, 10)}`,
    username: ws.username, password: ws.password,
    reconnectPeriod: 1000, connectTimeout: 10_000, clean: true, protocolVersion: 4,
  });
  let everConnected = false, down = false;
  client.on('connect', () => {
    client.subscribe('uavmec/#', { qos: 0 });
    onStatus('connected', everConnected && down ? 'restored' : undefined);
    everConnected = true; down = false;
  });
  const lost = (why) => {
    if (down) return;
    down = true;
    onStatus(everConnected ? 'offline' : 'error', everConnected ? why : undefined);
  };
  client.on('offline', () => lost('broker connection lost'));
  client.on('close', () => everConnected && lost('broker connection closed'));
  client.on('error', (e) => onStatus('error', undefined, String(e?.message ?? e)));
  client.on('message', (topic, payload) => {
    const d = contract.decodeTopic(topic, payload);
    if (d && !d.bad) onMessage(d, performance.now());
  });
  return client;
}
