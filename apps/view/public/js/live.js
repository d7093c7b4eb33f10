// Live: the MQTT worker (worker.js) feeds decoded contract messages; `onMessage` gets each one,
// `onStatus` the connection changes (connected, offline, error; 'restored' after an outage) and
// the broker node's URL (a cluster: the page moves along its nodes).

export function connectLive(config, onMessage, onStatus) {
  const worker = new Worker('/app/js/worker.js');
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'batch') for (const d of m.items) onMessage(d);
    else onStatus(m.state, m.what, m.err, m.node);
  };
  worker.onerror = (e) => onStatus('error', undefined, e.message ?? 'worker failed');
  worker.postMessage({ config });
  return worker;
}
