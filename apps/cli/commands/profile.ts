import fs from 'node:fs';
import path from 'node:path';
import { profileJson } from '../../agent/profile/index.ts';
import { uavProfile } from '../../../sim/world/index.ts';
import { int, parse } from '../args.ts';
import { CommandError, type Command } from '../command.ts';
import { SCENARIO_HELP, SCENARIO_OPTIONS, scenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'profile',
  summary: 'write each UAV\'s profile (origin, fence, band, limits, CPU, radio, battery, failsafe) for a scenario',
  help: `Usage: uavmec profile --out DIR [scenario options]

Writes uav-<i>.profile.json (proto uavmec.v1.UavProfile as JSON) for every UAV of the scenario:
what \`uavmec agent --profile FILE\` knows about its vehicle and mission area. The fence is the
mission area plus 20 m, the band runs from the ground to the scenario's ceiling. Edit the files
(the agent names any field it rejects), or give a QGroundControl fence to the agent with --fence.

Options:
  --out DIR          where to write the files (created if missing)
  --hold-after-slots N   controller silence → hold after N slots (default 3)
  --rtl-after-slots M    controller silence → RTL after M slots (default 10)
${SCENARIO_HELP}

Example:
  uavmec profile --uavs 4 --out profiles/ && scp profiles/uav-1.profile.json pi@uav1:/etc/uavmec/profile.json`,
  async run(argv) {
    const { values: v } = parse(argv, { out: { type: 'string' }, 'hold-after-slots': { type: 'string' }, 'rtl-after-slots': { type: 'string' }, ...SCENARIO_OPTIONS });
    const s = scenarioFrom(v);
    const hold = int(v['hold-after-slots'], 'hold-after-slots', 3, 1, 1_000_000);
    const rtl = int(v['rtl-after-slots'], 'rtl-after-slots', 10, hold + 1, 1_000_000);
    const out = v.out ?? '.';
    try {
      fs.mkdirSync(out, { recursive: true });
      for (let id = 1; id <= s.uavs; id++) {
        const file = path.join(out, `uav-${id}.profile.json`);
        fs.writeFileSync(file, profileJson(uavProfile(s, id, Date.now() * 1000, { holdAfterSlots: hold, rtlAfterSlots: rtl })));
        console.log(file);
      }
    } catch (e) {
      throw new CommandError(`cannot write the profiles to ${out}: ${(e as Error).message}`);
    }
    return 0;
  },
};
export default command;
