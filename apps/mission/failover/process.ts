/**
 * A controller of a failover mission as a separate OS process (`uavmec controller --leader-id …`),
 * as a deployment runs it on its own host: the mission spawns it with the scenario, the broker
 * list and a shared clock anchor, SIGKILLs it for the chaos (the kernel closes its sockets; the
 * broker publishes its will), and reads from its log when it became a standby or took over, and
 * from its stdout its totals at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../core/clock.ts';
import type { Scenario } from '../../../sim/world/index.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/uavmec.mjs');

export interface ControllerProcess {
  child: ChildProcess;
  /** Clock µs when its log said it became a standby / took over / led a fresh mission. */
  events: { tUs: number; event: 'standby' | 'takeover' | 'lead'; epoch: number }[];
  /** Its printed totals (released, completed, dor, …) once it exited after finishing. */
  totals: Record<string, number> | undefined;
  exited: Promise<number | null>;
}

export function spawnController(o: {
  id: string; rank: number; brokers: string; scenario: Scenario; runDir: string; speed: number; anchorMs: number; algo: string; clock: Clock;
}): ControllerProcess {
  const scenarioFile = path.join(o.runDir, 'scenario.json');
  if (!fs.existsSync(scenarioFile)) fs.writeFileSync(scenarioFile, JSON.stringify(o.scenario));
  const args = [BIN, 'controller', '--broker', o.brokers, '--leader-id', o.id, '--rank', String(o.rank), '--scenario', scenarioFile,
    '--speed', String(o.speed), '--anchor', String(o.anchorMs), '--algo', o.algo, '--plan-valid-slots', '4'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(o.runDir, `controller-${o.id}.log`), { flags: 'a' });
  const p: ControllerProcess = { child, events: [], totals: undefined, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    log.write(`${line}\n`);
    const m = /"epoch":(\d+).*"msg":"(standby: following the leader|taking over from [^"]*|leading a fresh mission)"/.exec(line) ?? /"msg":"(standby: following the leader)"/.exec(line);
    if (!m) return;
    const msg = m.length === 3 ? m[2]! : m[1]!;
    const epoch = m.length === 3 ? Number(m[1]) : 0;
    p.events.push({ tUs: o.clock.nowUs(), event: msg.startsWith('standby') ? 'standby' : msg.startsWith('taking') ? 'takeover' : 'lead', epoch });
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  void p.exited.then(() => {
    log.end();
    const i = out.lastIndexOf('\n{');
    const text = i >= 0 ? out.slice(i + 1) : out.startsWith('{') ? out : '';
    try {
      if (text) p.totals = JSON.parse(text) as Record<string, number>;
    } catch {
      /* no totals: killed, or stopped as a standby */
    }
  });
  return p;
}
