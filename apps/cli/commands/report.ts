import { writeReport } from '../../report/write.ts';
import { parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const command: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report of a run (or two or three, side by side)',
  help: `Usage: uavmec report <run-dir> [<other-run-dir> [<third-run-dir>]] [--out FILE]

Writes one self-contained HTML file (inline SVG and CSS, nothing fetched at view time) from a run
folder's summary.json and mqtt.rec: a 2D map of every UAV's trajectory with the users and each
slot's coverage discs, the altitude profile, per-slot charts of DOR (achieved and planned),
energy, plan utility and battery, the coalition timeline (tasks per UAV and slot, relay pairs),
plan acks/nacks, failsafe and other UAV events, and tables of totals. S2 runs (mission --system
s2) add the revenue Q per slot flown against the env, its parts U_K, U_J, U_I, UAVs serving, prices,
transcoding levels and energies. Given two or three run folders it shows them side by side with a
comparison of their totals (and of their S2 revenue, e.g. TD3 vs DDPG vs PPO on the same seed).

Options:
  --out FILE    where to write (default: <run-dir>/report.html)

Examples:
  uavmec report runs/2026-11-21T05-52-34-112Z
  uavmec report runs/A runs/B --out /tmp/a-vs-b.html
  uavmec report runs/td3 runs/ddpg runs/ppo --out /tmp/s2-side-by-side.html`,
  async run(argv) {
    const { values: v, positionals } = parse(argv, { out: { type: 'string' } }, true);
    if (positionals.length < 1 || positionals.length > 3) throw new UsageError('give one to three run folders');
    const r = writeReport(positionals, v.out);
    if (!r.ok) {
      console.error(`uavmec report: ${r.detail ?? r.reason}`);
      return 1;
    }
    console.log(r.value);
    return 0;
  },
};
export default command;
