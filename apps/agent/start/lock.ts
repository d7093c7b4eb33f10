/**
 * Local locks of a starting agent (issue 14 §4): one file per UAV id and one per autopilot link in
 * a lock directory ($RUNTIME_DIRECTORY under systemd, else the OS temp dir), created exclusively
 * and holding the owner's pid. A lock whose process is gone (crash, kill -9, reboot) is stale and
 * taken over; a live one refuses the start. Serial ports are also opened exclusively by the
 * transport, and a UDP listen port cannot be bound twice; this covers udpout:// and tcp:// links.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, ok, type Result } from '../../../core/result.ts';

export interface HeldLock {
  readonly path: string;
  release(): void;
}

export function defaultLockDir(): string {
  return process.env.RUNTIME_DIRECTORY ?? path.join(os.tmpdir(), 'uavmec-locks');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock `name` in `dir`; fails 'held' with the owner's pid when a live process has it. */
export function takeLock(dir: string, name: string, what: string): Result<HeldLock, 'held' | 'unwritable'> {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    return fail('unwritable', `cannot create the lock directory ${dir}: ${(e as Error).message}`);
  }
  const file = path.join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n${what}\n`, { flag: 'wx' });
      return ok({
        path: file,
        release: () => {
          try {
            if (fs.readFileSync(file, 'utf8').split('\n')[0] === String(process.pid)) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return fail('unwritable', `cannot write ${file}: ${(e as Error).message}`);
    }
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return fail('held', `${what} is held by process ${pid} (lock ${file})`);
    fs.rmSync(file, { force: true }); // stale: its process is gone
  }
  return fail('held', `${what}: lock ${file} keeps coming back`);
}

/** The agent's two locks: its UAV id and its autopilot link. */
export function lockAgent(dir: string, uavId: number, autopilotUrl: string): Result<HeldLock, 'held' | 'unwritable'> {
  const uav = takeLock(dir, `uav-${uavId}`, `UAV ${uavId}`);
  if (!uav.ok) return uav;
  const link = takeLock(dir, `link-${createHash('sha256').update(autopilotUrl).digest('hex').slice(0, 16)}`, `the autopilot link ${autopilotUrl}`);
  if (!link.ok) {
    uav.value.release();
    return link;
  }
  return ok({ path: uav.value.path, release: () => (link.value.release(), uav.value.release()) });
}
