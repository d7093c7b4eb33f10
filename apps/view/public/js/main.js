// The ground-station page: wiring. Live (MQTT over WebSocket) or replay (a recording), one model,
// one map, one table, charts, events and the detail of the selected UAV. The map redraws every
// animation frame; the DOM (table, labels, charts, events) is refreshed 5 times a second.
import { Charts } from './charts.js';
import { MissionClock } from './clock.js';
import { renderDetail } from './detail.js';
import { EventList } from './events.js';
import { connectLive } from './live.js';
import { MapView } from './map.js';
import { Model } from './model.js';
import { Replay } from './replay.js';
import { bindReplayBar } from './replaybar.js';
import { FleetTable } from './table.js';

const $ = (id) => document.getElementById(id);

async function start() {
  const config = await (await fetch('/config.json')).json();
  const contract = config.mode === 'replay' ? await self.loadContract(config) : undefined;
  const staleUs = config.staleAfterS * 1e6;
  const view = { config, frames: 0, fps: 0, messages: 0, prof: { draw: 0, dom: 0, doms: 0, msg: 0 }, selected: undefined, model: new Model(), t0Us: 0 };
  window.__view = view;
  const map = new MapView($('map'), $('markers'), config.geometry, config.tiles);
  const table = new FleetTable($('fleet').tBodies[0], config.geometry, (id) => { view.selected = id; });
  const charts = new Charts($('charts'));
  const events = new EventList($('events'), $('banner'));
  const g = config.geometry;
  $('legend').textContent = `geofence ${g.areaM} × ${g.areaM} m, altitude band ${g.altMinM}–${g.altMaxM} m · origin ${g.origin.latDeg.toFixed(5)}°, ${g.origin.lonDeg.toFixed(5)}° · users: grey local, coloured = offloaded to that UAV`;
  $('mode').textContent = config.mode === 'live' ? 'live' : `replay ${config.run ?? ''}`;
  $('map').addEventListener('click', (e) => { const r = e.target.getBoundingClientRect(); const id = map.pick(e.clientX - r.left, e.clientY - r.top); if (id !== undefined) view.selected = id; });
  const alert = (e) => events.alert(e);
  let now;
  if (config.mode === 'live') {
    const clock = new MissionClock();
    view.model.onAlert = alert;
    now = () => clock.nowUs();
    connectLive(config, (d) => {
      view.messages++;
      const p0 = performance.now();
      const t = Number(d.msg.header?.t_us ?? 0) || clock.nowUs();
      clock.observe(t);
      if (!view.t0Us) view.t0Us = t;
      view.model.apply(d.key, d.params, d.msg, t);
      view.prof.msg += performance.now() - p0;
    }, (state, what, err, node) => {
      const c = $('conn');
      c.dataset.state = state; c.textContent = err ? `${state}: ${err}` : state;
      if (node) { c.dataset.node = node; c.title = node; }
      if (what) view.model.event(now() || Date.now() * 1000, 0, what === 'restored' ? 2 : 4, what === 'restored' ? 'broker.restored' : 'broker.lost', what === 'restored' ? 'broker connection restored' : what, 'outage');
    });
  } else {
    $('conn').dataset.state = 'connected'; $('conn').textContent = 'recording';
    const replay = new Replay(contract, await (await fetch('/recording')).arrayBuffer());
    replay.model.onAlert = alert;
    view.replay = replay;
    view.t0Us = replay.t0;
    bindReplayBar(replay, view);
    now = () => replay.t;
  }
  view.now = now;
  let last = performance.now(), lastDom = 0, fpsFrames = 0, fpsT = last;
  const frame = (t) => {
    view.replay?.tick(t - last);
    last = t;
    if (view.replay) view.model = view.replay.model;
    const m = view.model, n = now();
    const d0 = performance.now();
    map.draw(m, n, staleUs, view.selected);
    view.prof.draw += performance.now() - d0;
    view.frames++; fpsFrames++;
    if (t - fpsT >= 1000) { view.fps = (fpsFrames * 1000) / (t - fpsT); fpsFrames = 0; fpsT = t; $('fps').textContent = `${view.fps.toFixed(0)} fps`; }
    if (t - lastDom >= 200) {
      lastDom = t;
      const q0 = performance.now();
      map.placeLabels(m, n, staleUs);
      table.update(m, n, staleUs, view.selected);
      charts.update(m.slots.upTo(m.slot));
      events.update(m, view.t0Us);
      renderDetail($('detail'), m.uavs.get(view.selected), m, n, view.t0Us);
      $('slot').textContent = m.slot < 0 ? '—' : m.launching ? 'launch' : String(m.slot);
      $('simtime').textContent = n && view.t0Us ? `${((n - view.t0Us) / 1e6).toFixed(1)} s` : '—';
      view.replay?.syncBar?.();
      view.prof.dom += performance.now() - q0; view.prof.doms++;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.body.dataset.ready = 'true';
}


start().catch((e) => {
  document.body.dataset.ready = 'error';
  $('conn').dataset.state = 'error';
  $('conn').textContent = `error: ${e?.message ?? e}`;
  console.error(e);
});
