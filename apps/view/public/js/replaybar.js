// The replay controls: time scrubber (seconds from the recording's start), play/pause, speed.
const $ = (id) => document.getElementById(id);

export function bindReplayBar(replay, view) {
  const bar = $('replaybar'), scrub = $('scrub'), play = $('play'), speed = $('speed'), label = $('scrubtime');
  bar.hidden = false;
  scrub.max = String((replay.t1 - replay.t0) / 1e6);
  const show = () => {
    const s = (replay.t - replay.t0) / 1e6;
    if (document.activeElement !== scrub) scrub.value = String(s);
    label.textContent = `${s.toFixed(1)} / ${Number(scrub.max).toFixed(1)} s`;
    play.textContent = replay.playing ? '❚❚' : '▶';
  };
  scrub.addEventListener('input', () => { replay.seek(replay.t0 + Number(scrub.value) * 1e6); show(); });
  play.addEventListener('click', () => {
    if (!replay.playing && replay.t >= replay.t1) replay.seek(replay.t0);
    replay.playing = !replay.playing;
    show();
  });
  speed.addEventListener('change', () => { replay.speed = Number(speed.value); });
  replay.syncBar = show;
  /** For tests and scripts: jump to `s` seconds from the start. */
  view.seekS = (s) => { replay.seek(replay.t0 + s * 1e6); show(); };
  show();
}
