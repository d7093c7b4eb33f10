// The event and alert list (nacks, failsafes, envelope interventions, broker outages) and the
// alerts a failsafe raises: a blinking banner and a beep (WebAudio; browsers allow sound once the
// operator has clicked the page).
let audio;
document.addEventListener('pointerdown', () => { audio ??= new AudioContext(); }, { once: true });

function beep() {
  if (!audio) return;
  const o = audio.createOscillator(), g = audio.createGain();
  o.frequency.value = 880; g.gain.value = 0.15;
  o.connect(g).connect(audio.destination);
  o.start(); o.stop(audio.currentTime + 0.35);
}

export class EventList {
  constructor(ol, banner, t0) {
    Object.assign(this, { ol, banner, t0, shown: 0, bannerUntil: 0 });
  }

  alert(e) {
    if (e.kind !== 'failsafe' && e.kind !== 'outage' && e.kind !== 'stale') return;
    this.banner.hidden = false;
    this.banner.textContent = e.kind === 'failsafe' ? `FAILSAFE UAV ${e.uavId}: ${e.code.replace('failsafe.', '')}` : e.kind === 'stale' ? `UAV ${e.uavId}: NO TELEMETRY` : e.text;
    this.banner.dataset.kind = e.kind;
    this.bannerUntil = performance.now() + 8000;
    if (e.kind === 'failsafe') beep();
  }

  update(model, t0Us) {
    if (this.bannerUntil && performance.now() > this.bannerUntil) { this.banner.hidden = true; this.bannerUntil = 0; }
    if (model.eventSeq === this.shown) return;
    if (model.eventSeq < this.shown) { this.ol.textContent = ''; this.shown = 0; }
    const frag = document.createDocumentFragment();
    for (const e of model.events.filter((x) => x.seq > this.shown)) {
      const li = document.createElement('li');
      li.className = `sev-${e.severity} ${e.kind}`;
      li.dataset.kind = e.kind;
      if (e.uavId) li.dataset.uavId = String(e.uavId);
      const t = t0Us ? ((e.tUs - t0Us) / 1e6).toFixed(1) : '';
      li.textContent = `${t} s ${e.uavId ? `UAV ${e.uavId} ` : ''}${e.code}: ${e.text}`;
      frag.prepend(li);
    }
    this.ol.prepend(frag);
    while (this.ol.children.length > 300) this.ol.lastChild.remove();
    this.shown = model.eventSeq;
  }
}
