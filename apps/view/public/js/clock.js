// Mission time in the browser. Messages carry their sender's clock (header.t_us), which may run
// faster or slower than wall time (an accelerated or lockstep mission). The view's "now" is the
// newest timestamp seen, extrapolated by the wall time since at the rate the mission clock was
// observed to run (Δ mission / Δ wall over the last few seconds). So a UAV whose telemetry stops
// ages in mission seconds while the rest of the fleet keeps talking, and everything ages when the
// whole bus goes quiet (a broker outage) — at the last observed rate.

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
    return this.maxUs + (this.wallNow() - this.wallAtMax) * 1000 * this.rate;
  }
}
