// The selected UAV: its current plan, its flight-mode timeline (autopilot mode over mission time)
// and its link health (autopilot link, broker link, telemetry rate, messages lost from sequence
// gaps, outbox depth, messages dropped).
import { colour } from './map.js';
import { FLIGHT, NACK } from './model.js';

const FMODE = ['?', 'GOTO', 'WAYPOINTS', 'POLICY', 'HOLD', 'LAND', 'RTL'];
const modeColour = (m) => ({ RTL: '#e74c3c', LAND: '#e67e22', LOITER: '#f1c40f', BRAKE: '#f1c40f', HOLD: '#f1c40f' })[m] ?? `hsl(${[...m].reduce((a, c) => a + c.charCodeAt(0) * 37, 0) % 360},45%,45%)`;

export function renderDetail(box, u, model, nowUs, t0Us) {
  if (!u) { box.hidden = true; return; }
  box.hidden = false;
  box.dataset.uavId = String(u.id);
  const p = u.plan, f = p?.flight;
  const target = f?.target ? `(${f.target.x_east_m.toFixed(1)}, ${f.target.y_north_m.toFixed(1)}, ${f.target.alt_m.toFixed(1)}) m` : f?.waypoints?.length ? `${f.waypoints.length} waypoints` : '—';
  const ack = u.ack ? (u.ack.accepted ? `accepted (seq ${u.ack.seq})` : `refused (seq ${u.ack.seq}): ${NACK[u.ack.reason]}`) : 'none yet';
  const times = u.link.times;
  const rate = times.length > 1 ? ((times.length - 1) * 1e6) / Math.max(1, times[times.length - 1] - times[0]) : 0;
  const lossPct = u.link.received ? (100 * u.link.lost) / (u.link.received + u.link.lost) : 0;
  const h = u.health;
  const dl = (rows) => `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const html = `<h3><span class="swatch" style="background:${colour(u.id)}"></span>UAV ${u.id} <small class="muted">${FLIGHT[u.flight] ?? ''}</small></h3>
    <b>Plan</b>${dl([['seq / slot', p ? `${p.plan_seq} / ${p.slot}` : '—'], ['flight', p ? `${FMODE[f?.mode ?? 0]} ${target}` : '—'], ['planner', p ? `${p.planner} (objective ${p.objective.toFixed(3)})` : '—'],
      ['tasks', p ? `${p.assignments.length} assigned, ${p.schedule.length} scheduled subtasks` : '—'], ['ack', ack]])}
    <b>Flight-mode timeline</b><canvas id="modeline"></canvas>
    <b>Link health</b>${dl([['autopilot link', u.linkUp ? 'up' : 'DOWN'], ['broker link', h ? (h.broker_link_up ? 'up' : 'DOWN') : '—'],
      ['telemetry', `${rate.toFixed(1)} Hz (mission time), ${u.link.received} received`], ['lost (seq gaps)', `${u.link.lost} (${lossPct.toFixed(1)} %)`],
      ['outbox / dropped', h ? `${h.outbox_depth} / ${Number(h.dropped_messages)}` : '—'], ['agent CPU', h?.cpu_pct != null ? `${h.cpu_pct.toFixed(0)} %` : '—']])}`;
  if (box.lastHtml !== html) { box.innerHTML = html; box.lastHtml = html; }
  drawModes(box.querySelector('#modeline'), u.modes, t0Us || u.modes[0]?.tUs || 0, nowUs);
}

function drawModes(c, modes, t0, t1) {
  const dpr = window.devicePixelRatio || 1, w = c.clientWidth, h = c.clientHeight;
  c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
  const ctx = c.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const span = Math.max(1, t1 - t0), X = (t) => ((t - t0) / span) * w;
  c.dataset.segments = String(modes.length);
  modes.forEach((m, i) => {
    const end = modes[i + 1]?.tUs ?? t1, x = X(m.tUs);
    ctx.fillStyle = modeColour(m.mode); ctx.fillRect(x, 4, Math.max(1, X(end) - x), h - 20);
    ctx.fillStyle = '#fff'; ctx.font = '10px sans-serif';
    const label = `${m.mode} · ${FLIGHT[m.flight] ?? ''}`;
    if (X(end) - x > ctx.measureText(label).width + 4) ctx.fillText(label, x + 2, h / 2);
    else if (X(end) - x > 30) ctx.fillText(m.mode, x + 2, h / 2);
  });
  ctx.fillStyle = '#888'; ctx.fillText('0 s', 0, h - 3);
  const s = `${(span / 1e6).toFixed(0)} s`; ctx.fillText(s, w - ctx.measureText(s).width, h - 3);
}
