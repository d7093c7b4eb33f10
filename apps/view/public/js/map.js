// The map: a canvas in local metres (x east, y north from the mission origin) with a
// latitude/longitude grid, an optional raster background from the operator's tile folder, the
// geofence, users coloured by their offloading decision, offloading links, relay coalitions, pool
// tours, and per UAV its trail, coverage disc (SPEC §3: R = H tan θ_max) and heading marker.
import { drawTiles } from './tiles.js';

export const colour = (id) => `hsl(${(id * 137.508) % 360},75%,58%)`;

export class MapView {
  constructor(canvas, markers, geometry, tiles) {
    Object.assign(this, { canvas, markers, g: geometry, tiles, ctx: canvas.getContext('2d', { alpha: false }), labels: new Map(), hit: [] });
    this.bounds = { x0: -5, y0: -5, x1: geometry.areaM + 5, y1: geometry.areaM + 5 };
  }

  fit(model) {
    const b = { x0: 0, y0: 0, x1: this.g.areaM, y1: this.g.areaM };
    for (const u of model.uavs.values()) if (u.pos) { b.x0 = Math.min(b.x0, u.pos.x); b.y0 = Math.min(b.y0, u.pos.y); b.x1 = Math.max(b.x1, u.pos.x); b.y1 = Math.max(b.y1, u.pos.y); }
    const m = 0.06 * Math.max(b.x1 - b.x0, b.y1 - b.y0, 10);
    const c = this.bounds;
    // Grow at once, shrink never: the map does not jump while UAVs fly.
    this.bounds = { x0: Math.min(c.x0, b.x0 - m), y0: Math.min(c.y0, b.y0 - m), x1: Math.max(c.x1, b.x1 + m), y1: Math.max(c.y1, b.y1 + m) };
  }

  layout() {
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr)) this.canvas.width = Math.round(w * dpr);
    if (this.canvas.height !== Math.round(h * dpr)) this.canvas.height = Math.round(h * dpr);
    const b = this.bounds;
    const s = Math.min(w / (b.x1 - b.x0), h / (b.y1 - b.y0));
    const ox = (w - s * (b.x1 - b.x0)) / 2, oy = (h - s * (b.y1 - b.y0)) / 2;
    this.px = (x) => ox + (x - b.x0) * s;
    this.py = (y) => h - oy - (y - b.y0) * s;
    this.scale = s;
    this.w = w; this.h = h;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  draw(model, nowUs, staleUs, selected) {
    this.fit(model);
    this.layout();
    const { ctx, px, py } = this;
    this.background();
    ctx.drawImage(this.bg, 0, 0, this.w, this.h);
    this.links(model);
    this.users(model);
    this.hit = [];
    const stride = model.uavs.size > 40 ? 3 : 1; // big fleets: every third trail point
    for (const u of model.uavs.values()) this.uav(u, nowUs - u.lastTwinUs > staleUs, u.id === selected, stride);
  }

  /**
   * Tiles, the latitude/longitude grid and the geofence change only when the map is resized or
   * grows: they are drawn once into an offscreen layer and copied each frame (tiles that arrive
   * later redraw it).
   */
  background() {
    const b = this.bounds;
    const key = `${this.canvas.width}x${this.canvas.height}:${b.x0},${b.y0},${b.x1},${b.y1}:${this.tilesLoaded ?? 0}`;
    if (this.bgKey === key) return;
    this.bgKey = key;
    this.bg ??= document.createElement('canvas');
    this.bg.width = this.canvas.width; this.bg.height = this.canvas.height;
    const main = this.ctx;
    this.ctx = this.bg.getContext('2d', { alpha: false });
    this.ctx.setTransform(main.getTransform());
    this.ctx.fillStyle = '#1b1e23'; this.ctx.fillRect(0, 0, this.w, this.h);
    if (this.tiles) this.tilesLoaded = drawTiles(this.ctx, this, () => { this.bgKey = ''; });
    this.grid();
    const a = this.g.areaM, { px, py } = this;
    this.ctx.strokeStyle = '#e67e22'; this.ctx.lineWidth = 1.5; this.ctx.setLineDash([6, 4]);
    this.ctx.strokeRect(px(0), py(a), a * this.scale, a * this.scale);
    this.ctx.setLineDash([]);
    this.ctx = main;
  }

  grid() {
    const { ctx, g, bounds: b } = this;
    const lat = (y) => g.origin.latDeg + y * g.degPerM.lat, lon = (x) => g.origin.lonDeg + x * g.degPerM.lon;
    const step = (span) => { const r = span / 5; const p = 10 ** Math.floor(Math.log10(r)); return [1, 2, 5, 10].map((k) => k * p).find((k) => k >= r); };
    ctx.strokeStyle = 'rgba(255,255,255,.12)'; ctx.fillStyle = '#888'; ctx.font = '10px sans-serif'; ctx.lineWidth = 1;
    const sLat = step(lat(b.y1) - lat(b.y0)), sLon = step(lon(b.x1) - lon(b.x0));
    const dec = (s) => Math.max(0, -Math.floor(Math.log10(s)));
    for (let v = Math.ceil(lat(b.y0) / sLat) * sLat; v <= lat(b.y1); v += sLat) {
      const y = this.py((v - g.origin.latDeg) / g.degPerM.lat);
      ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(this.w, y); ctx.stroke(); ctx.fillText(`${v.toFixed(dec(sLat))}°`, 2, y - 2);
    }
    for (let v = Math.ceil(lon(b.x0) / sLon) * sLon; v <= lon(b.x1); v += sLon) {
      const x = this.px((v - g.origin.lonDeg) / g.degPerM.lon);
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, this.h); ctx.stroke(); ctx.fillText(`${v.toFixed(dec(sLon))}°`, x + 2, 10);
    }
  }

  links(model) {
    const { ctx, px, py } = this;
    ctx.lineWidth = 1;
    for (const u of model.uavs.values()) {
      if (!u.pos || !u.plan) continue;
      ctx.strokeStyle = colour(u.id); ctx.globalAlpha = 0.45;
      ctx.beginPath();
      for (const a of u.plan.assignments) {
        if (a.access_uav_id !== u.id || !a.user_position) continue;
        ctx.moveTo(px(u.pos.x), py(u.pos.y)); ctx.lineTo(px(a.user_position.x_east_m), py(a.user_position.y_north_m));
      }
      ctx.stroke();
      const wps = u.plan.flight?.waypoints ?? [];
      if (wps.length > 1) { // a pool tour
        ctx.setLineDash([3, 3]); ctx.beginPath();
        wps.forEach((w, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, px(w.x_east_m), py(w.y_north_m)));
        ctx.stroke(); ctx.setLineDash([]);
      }
      ctx.globalAlpha = 0.9; ctx.lineWidth = 3; ctx.setLineDash([8, 4]);
      for (const a of u.plan.assignments) { // a relay coalition: access UAV → executing UAV
        const e = a.access_uav_id === u.id && a.exec_uav_id !== u.id ? model.uavs.get(a.exec_uav_id) : undefined;
        if (e?.pos) { ctx.beginPath(); ctx.moveTo(px(u.pos.x), py(u.pos.y)); ctx.lineTo(px(e.pos.x), py(e.pos.y)); ctx.stroke(); }
      }
      ctx.setLineDash([]); ctx.lineWidth = 1; ctx.globalAlpha = 1;
    }
  }

  users(model) {
    const { ctx, px, py } = this;
    const byColour = new Map();
    for (const u of model.users.values()) {
      if (u.x === undefined) continue;
      const off = u.decision && u.decisionSlot >= model.slot - 1 ? u.decision : 0;
      let l = byColour.get(off);
      if (!l) byColour.set(off, (l = []));
      l.push(u);
    }
    for (const [d, list] of byColour) { // one path per colour
      ctx.fillStyle = d ? colour(d) : '#9e9e9e';
      ctx.beginPath();
      for (const u of list) { ctx.moveTo(px(u.x) + 3, py(u.y)); ctx.arc(px(u.x), py(u.y), d ? 3.5 : 2.5, 0, 2 * Math.PI); }
      ctx.fill();
    }
  }

  uav(u, stale, selected, stride) {
    if (!u.pos) return;
    const { ctx, px, py } = this;
    const c = stale ? '#777' : colour(u.id);
    const x = px(u.pos.x), y = py(u.pos.y);
    ctx.strokeStyle = c; ctx.globalAlpha = 0.5; ctx.beginPath();
    const t = u.trail;
    for (let i = 0; i < t.length; i += stride) (i ? ctx.lineTo : ctx.moveTo).call(ctx, px(t[i].x), py(t[i].y));
    if (t.length) ctx.lineTo(px(u.pos.x), py(u.pos.y));
    ctx.stroke();
    const r = Math.max(0, u.pos.alt) * Math.tan((this.g.thetaMaxDeg * Math.PI) / 180) * this.scale;
    ctx.globalAlpha = 0.1; ctx.fillStyle = c; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
    ctx.globalAlpha = 1;
    ctx.save(); ctx.translate(x, y); ctx.rotate(u.heading);
    ctx.beginPath(); ctx.moveTo(0, -9); ctx.lineTo(6, 7); ctx.lineTo(0, 3); ctx.lineTo(-6, 7); ctx.closePath();
    ctx.fillStyle = c; ctx.fill();
    ctx.lineWidth = selected ? 2.5 : 1; ctx.strokeStyle = selected ? '#fff' : '#000'; ctx.stroke();
    ctx.restore();
    this.hit.push({ id: u.id, x, y });
  }

  /** One DOM label per UAV (data-uav-id, its position in metres), moved to its marker. */
  placeLabels(model, nowUs, staleUs) {
    for (const u of model.uavs.values()) {
      if (!u.pos || !this.px) continue;
      let el = this.labels.get(u.id);
      if (!el) {
        el = document.createElement('div');
        el.className = 'marker'; el.dataset.uavId = String(u.id); el.textContent = String(u.id);
        this.markers.appendChild(el); this.labels.set(u.id, el);
      }
      el.style.transform = `translate(${(this.px(u.pos.x) + 8).toFixed(1)}px,${(this.py(u.pos.y) - 14).toFixed(1)}px)`;
      el.dataset.xM = u.pos.x.toFixed(2); el.dataset.yM = u.pos.y.toFixed(2);
      el.dataset.state = nowUs - u.lastTwinUs > staleUs ? 'stale' : 'live';
    }
  }

  pick(cx, cy) {
    let best, bd = 16;
    for (const h of this.hit) { const d = Math.hypot(h.x - cx, h.y - cy); if (d < bd) { bd = d; best = h.id; } }
    return best;
  }
}
