// Replay: the run's mqtt.rec (fetched from /recording), decoded once; seek(t) rebuilds the model
// from the start up to recorder time t, play advances t by wall time × speed. The map and table at
// t show exactly what the recording says at t.
import { Model } from './model.js';

export class Replay {
  constructor(contract, buf) {
    this.items = contract.decodeRecording(buf).map((r) => ({ recvUs: r.recvUs, d: contract.decodeTopic(r.topic, r.payload) })).filter((x) => x.d && !x.d.bad);
    this.t0 = this.items[0]?.recvUs ?? 0;
    this.t1 = this.items[this.items.length - 1]?.recvUs ?? 0;
    this.i = 0;
    this.t = this.t0;
    this.model = new Model();
    this.playing = false;
    this.speed = 1;
  }

  /** Recorder time t (µs): the model holds every message received up to t. */
  seek(tUs) {
    const t = Math.max(this.t0, Math.min(this.t1, tUs));
    if (t < this.t) { this.model = new Model(); this.i = 0; }
    const onAlert = this.model.onAlert;
    this.model.onAlert = null;
    this.advanceTo(t);
    this.model.onAlert = onAlert;
  }

  advanceTo(t) {
    const it = this.items;
    while (this.i < it.length && it[this.i].recvUs <= t) {
      const { d, recvUs } = it[this.i++];
      this.model.apply(d.key, d.params, d.msg, recvUs);
    }
    this.t = t;
  }

  /** Called every frame with the wall time elapsed (ms). */
  tick(dtMs) {
    if (!this.playing) return;
    this.advanceTo(Math.min(this.t1, this.t + dtMs * 1000 * this.speed));
    if (this.t >= this.t1) this.playing = false;
  }
}
