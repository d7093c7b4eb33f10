// The fleet table: one row per UAV (data-uav-id; data-state "live" or "stale" once no telemetry
// came for staleAfterS of mission time). Rows are built once and only their text changes.
import { colour } from './map.js';
import { NACK } from './model.js';

/** Plan sequence numbers may be large (time-based); the table shows their last 5 digits. */
const short = (n) => (n >= 1e5 ? `…${String(n).slice(-5)}` : String(n));
const COLS = ['id', 'mode', 'armed', 'alt', 'batt', 'link', 'failsafe', 'plan', 'seen'];

export class FleetTable {
  constructor(tbody, geometry, onSelect) {
    Object.assign(this, { tbody, g: geometry, rows: new Map() });
    tbody.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) onSelect(Number(tr.dataset.uavId));
    });
  }

  row(id) {
    let r = this.rows.get(id);
    if (r) return r;
    const tr = document.createElement('tr');
    tr.dataset.uavId = String(id);
    const cells = {};
    for (const c of COLS) { const td = document.createElement('td'); td.className = c; tr.appendChild(td); cells[c] = td; }
    cells.id.innerHTML = `<span class="swatch" style="background:${colour(id)}"></span>${id}`;
    const after = [...this.rows.keys()].filter((k) => k > id).sort((a, b) => a - b)[0];
    this.tbody.insertBefore(tr, after === undefined ? null : this.rows.get(after).tr);
    r = { tr, cells, last: {} };
    this.rows.set(id, r);
    return r;
  }

  set(r, col, text, cls = '') {
    if (r.last[col] === text + cls) return;
    r.last[col] = text + cls;
    r.cells[col].textContent = text;
    r.cells[col].className = `${col} ${cls}`;
  }

  update(model, nowUs, staleUs, selected) {
    for (const u of model.uavs.values()) {
      const r = this.row(u.id);
      const ageS = u.lastTwinUs ? (nowUs - u.lastTwinUs) / 1e6 : Infinity;
      const stale = ageS * 1e6 > staleUs;
      if (r.tr.dataset.state !== (stale ? 'stale' : 'live')) {
        if (stale && r.tr.dataset.state === 'live') {
          // Wall time from the last telemetry's arrival to this row turning stale (what an operator waits).
          r.tr.dataset.staleAfterMs = String(Math.round(performance.now() - (u.lastTwinWall ?? performance.now())));
          model.event(nowUs, u.id, 4, 'telemetry.stale', `no telemetry for ${(staleUs / 1e6).toFixed(1)} s of mission time`, 'stale');
        }
        r.tr.dataset.state = stale ? 'stale' : 'live';
      }
      r.tr.classList.toggle('selected', u.id === selected);
      const alt = u.pos?.alt;
      const outOfBand = alt !== undefined && u.armed && u.flight === 3 && (alt < this.g.altMinM - 0.5 || alt > this.g.altMaxM + 0.5);
      this.set(r, 'mode', u.mode || '—');
      this.set(r, 'armed', u.armed ? 'armed' : 'disarmed');
      this.set(r, 'alt', alt === undefined ? '—' : alt.toFixed(1), outOfBand ? 'warn' : '');
      this.set(r, 'batt', u.batteryPct == null ? '—' : u.batteryPct.toFixed(1), u.batteryPct != null && u.batteryPct < 20 ? 'bad' : '');
      this.set(r, 'link', u.linkUp ? 'up' : 'down', u.linkUp ? '' : 'bad');
      this.set(r, 'failsafe', u.failsafe, u.failsafe === 'nominal' ? '' : 'bad');
      const ack = u.ack ? (u.ack.accepted ? `✓${short(u.ack.seq)}` : `✗${short(u.ack.seq)} ${NACK[u.ack.reason] ?? ''}`) : '—';
      this.set(r, 'plan', `${short(u.planSeq)} / ${ack}`, u.ack && !u.ack.accepted ? 'bad' : '');
      // Half-second steps: telemetry at 5 Hz would otherwise rewrite every row on every refresh.
      this.set(r, 'seen', Number.isFinite(ageS) ? `${(Math.floor(Math.max(0, ageS) * 2) / 2).toFixed(1)} s` : '—', stale ? 'bad' : '');
    }
  }
}
