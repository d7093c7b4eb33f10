// Mission time in the browser. Messages carry their sender's clock (header.t_us), which may run
// faster or slower than wall time (an accelerated or lockstep mission), so staleness is judged in
// mission time, against the rest of the bus: "now" is the newest timestamp any message carried.
// A UAV whose telemetry stops therefore ages while the others keep talking — a process or machine
// that stalls everyone at once (a loaded ground station) does not make the whole fleet look stale.
// When the whole bus goes quiet (a broker outage, a dead controller and fleet), "now" runs on by
// itself after a grace of QUIET_GRACE_MS wall time, at the rate the mission clock was last seen
// to run (Δ mission / Δ wall over the last few seconds), so every row then turns stale too.

export const QUIET_GRACE_MS = 1000;

export class MissionClock {
  constructor(now = () => performance.now()) {
    this.wallNow = now;
    this.maxUs = 0;
    this.wallAtMax = 0;
    this.samples = [];
    this.rate = 1;
  }

  observe(tUs) {
    if (!(tUs > this.maxUs)) return;
    const w = this.wallNow();
    this.maxUs = tUs;
    this.wallAtMax = w;
    this.samples.push([w, tUs]);
    while (this.samples.length > 2 && w - this.samples[0][0] > 5000) this.samples.shift();
    const [w0, t0] = this.samples[0];
    if (w - w0 > 500) this.rate = Math.min(1000, Math.max(0.01, (tUs - t0) / 1000 / (w - w0)));
  }

  nowUs() {
    if (!this.maxUs) return 0;
    return this.maxUs + Math.max(0, this.wallNow() - this.wallAtMax - QUIET_GRACE_MS) * 1000 * this.rate;
  }
}
