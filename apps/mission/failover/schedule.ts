/**
 * The chaos schedule of a failover mission, carried out as the monitor sees the slots go by:
 * `leader@K` kills the leading controller (its process SIGKILLed, or its connections dropped
 * without DISCONNECT), `broker[N]@K` SIGKILLs a broker node, `restart@K` starts the last killed
 * controller again with the same id. Each step is noted for the summary.
 */
import type { Clock } from '../../../core/clock.ts';
import type { NatsCluster } from '../../cluster/index.ts';
import type { ChaosStep } from './chaos.ts';
import type { RunningController } from './controllers.ts';
import type { Monitor } from './monitor.ts';
import type { ChaosRecord } from './summary.ts';

export interface ChaosHost {
  monitor: Monitor;
  controllers: RunningController[];
  cluster: NatsCluster;
  clock: Clock;
  slotS: number;
  phase(p: string): void;
  startController(id: string, rank: number): Promise<RunningController>;
  /** True once the mission is over (or failed): the steps still waiting are dropped. */
  finished(): boolean;
}

export async function runChaos(steps: readonly ChaosStep[], h: ChaosHost, records: ChaosRecord[]): Promise<void> {
  let lastKilled: string | undefined;
  for (const step of steps) {
    while (h.monitor.slot < step.slot && !h.finished()) await h.clock.sleep(h.slotS * 50);
    if (h.finished()) return;
    const tUs = h.clock.nowUs();
    if (step.kind === 'leader') {
      const lead = [...h.monitor.leaders].reverse().find((l) => l.state === 'leading');
      const c = h.controllers.find((x) => !x.killed && x.id === lead?.controllerId);
      if (!c || !lead) continue;
      c.killed = true;
      lastKilled = c.id;
      records.push({ slot: step.slot, tUs, kind: 'leader', target: c.id, epoch: lead.epoch });
      if (c.proc) c.proc.child.kill('SIGKILL');
      if (c.local) {
        c.local.service.stop();
        await Promise.all([c.local.bus.kill(), c.local.heartbeat.kill()]);
      }
      h.phase(`chaos @ slot ${step.slot}: killed the leader ${c.id} (epoch ${lead.epoch}${c.proc ? `, SIGKILL to pid ${c.proc.child.pid}` : ''})`);
    } else if (step.kind === 'broker') {
      records.push({ slot: step.slot, tUs, kind: 'broker', target: `node ${step.node}` });
      await h.cluster.kill(step.node - 1);
      h.phase(`chaos @ slot ${step.slot}: SIGKILLed broker node ${step.node} (${h.cluster.urls[step.node - 1]})`);
    } else if (lastKilled) {
      const id = lastKilled;
      lastKilled = undefined;
      records.push({ slot: step.slot, tUs, kind: 'restart', target: id });
      await h.startController(id, h.controllers.filter((x) => !x.killed).length);
      h.phase(`chaos @ slot ${step.slot}: restarted ${id} with the same command: it rejoins`);
    }
  }
}
