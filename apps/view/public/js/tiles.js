// An optional raster background: the operator's slippy-map tiles ({z}/{x}/{y}.png, Web Mercator)
// served from a local folder at /tiles/. Tiles are placed by their corners' latitude/longitude,
// linearly in the local frame (fine over a mission area of a few km). Missing tiles are skipped.
const cache = new Map();

function tileOf(latDeg, lonDeg, z) {
  const n = 2 ** z, lat = (latDeg * Math.PI) / 180;
  return { x: ((lonDeg + 180) / 360) * n, y: ((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n };
}
function lonOf(x, z) { return (x / 2 ** z) * 360 - 180; }
function latOf(y, z) { const n = Math.PI - (2 * Math.PI * y) / 2 ** z; return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))); }

/** Draws the tiles loaded so far; returns how many; `onLoad` is called when another one arrives. */
export function drawTiles(ctx, view, onLoad) {
  let drawn = 0;
  const { g, bounds: b } = view;
  const mPerPx = 1 / view.scale;
  const z = Math.max(0, Math.min(22, Math.round(Math.log2((156543.03 * Math.cos((g.origin.latDeg * Math.PI) / 180)) / mPerPx))));
  const toM = (lat, lon) => ({ x: (lon - g.origin.lonDeg) / g.degPerM.lon, y: (lat - g.origin.latDeg) / g.degPerM.lat });
  const sw = tileOf(g.origin.latDeg + b.y0 * g.degPerM.lat, g.origin.lonDeg + b.x0 * g.degPerM.lon, z);
  const ne = tileOf(g.origin.latDeg + b.y1 * g.degPerM.lat, g.origin.lonDeg + b.x1 * g.degPerM.lon, z);
  for (let tx = Math.floor(sw.x); tx <= Math.floor(ne.x); tx++) {
    for (let ty = Math.floor(ne.y); ty <= Math.floor(sw.y); ty++) {
      const key = `${z}/${tx}/${ty}`;
      let img = cache.get(key);
      if (!img) { img = new Image(); img.onload = onLoad; img.src = `/tiles/${key}.png`; cache.set(key, img); }
      if (!img.complete || !img.naturalWidth) continue;
      const nw = toM(latOf(ty, z), lonOf(tx, z)), se = toM(latOf(ty + 1, z), lonOf(tx + 1, z));
      ctx.drawImage(img, view.px(nw.x), view.py(nw.y), view.px(se.x) - view.px(nw.x), view.py(se.y) - view.py(nw.y));
      drawn++;
    }
  }
  return drawn;
}
