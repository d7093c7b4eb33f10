/// <reference lib="dom" />
/**
 * Alerts and the UAV detail in the live view, driven by real contract messages on the embedded
 * broker: a failsafe event raises the banner and marks the row, a nack shows in the row and the
 * event list, clicking the UAV on the map opens its plan, flight-mode timeline and link health,
 * and a broker outage is listed and — the whole bus quiet — turns every row stale.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaledClock } from '../../core/clock.ts';
import { Bus, silentLogger, startEmbeddedBroker } from '../../apps/common/index.ts';
import { openViewFor } from '../../apps/view/index.ts';
import { NackReason, Severity } from '../../proto/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { launch, NO_CHROMIUM, openView } from './browser.ts';

void test('failsafe, nack, UAV detail on click, broker outage', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const broker = await startEmbeddedBroker({ wsPort: 0 });
  const view = await openViewFor({ wsUrl: broker.wsUrl!, scenario: defaultScenario({ uavs: 1 }) });
  const clock = new ScaledClock(1);
  const uav = await Bus.connect({ url: broker.url, clientId: 'alerts-uav-1', sender: 'uav-1', clock, log: silentLogger(), connectTimeoutMs: 2000 });
  const ctl = await Bus.connect({ url: broker.url, clientId: 'alerts-ctl', sender: 'controller', clock, log: silentLogger(), connectTimeoutMs: 2000 });
  let k = 0;
  let mode = 'GUIDED';
  const timer = setInterval(() => {
    k++;
    void uav.publish('twin', { uav: 1 }, { uav_id: 1, position: { x_east_m: 40 + k * 0.3, y_north_m: 60, alt_m: 20 }, armed: true, autopilot_link_up: true, autopilot_mode: mode, flight_state: mode === 'RTL' ? 5 : 3, plan_seq: 7 }).catch(() => undefined);
    void uav.publish('health', { uav: 1 }, { uav_id: 1, broker_link_up: true, autopilot_link_up: true, outbox_depth: 3, dropped_messages: 2 }).catch(() => undefined);
  }, 100);
  const browser = await launch();
  try {
    const { page, errors } = await openView(browser, view.url);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#fleet tr[data-uav-id="1"]')?.dataset.state === 'live', { timeout: 60_000 });
    const now = Math.round(clock.nowUs());
    await ctl.publish('plan', { uav: 1 }, { uav_id: 1, plan_seq: 8, slot: 3, valid_from_t_us: now, expires_t_us: now + 5e6, flight: { mode: 1, target: { x_east_m: 50, y_north_m: 60, alt_m: 20 } }, planner: 'cd-kkt', objective: 1.5 });
    await uav.publish('ack', { uav: 1 }, { uav_id: 1, plan_seq: 8, accepted: false, reason: NackReason.NACK_REASON_UNSAFE, detail: 'target outside the fence' });
    await uav.publish('uavEvent', { uav: 1 }, { severity: Severity.SEVERITY_ERROR, code: 'failsafe.hold', text: 'nominal → hold: controller_silent', uav_id: 1 });
    mode = 'RTL';
    await page.waitForFunction(() => {
      const banner = document.getElementById('banner')!;
      const row = document.querySelector('#fleet tr[data-uav-id="1"]')!;
      return !banner.hidden && /FAILSAFE UAV 1/.test(banner.textContent ?? '') && row.querySelector('.failsafe')!.textContent === 'hold' && /✗/.test(row.querySelector('.plan')!.textContent ?? '')
        && !!document.querySelector('#events li[data-kind="nack"]') && !!document.querySelector('#events li[data-kind="failsafe"]');
    }, { timeout: 30_000 });
    // Click the UAV on the map (its label sits 8 px right of and 14 px above the marker).
    await page.waitForFunction(() => document.querySelector('.marker[data-uav-id="1"]'), { timeout: 30_000 });
    const at = await page.$eval('.marker[data-uav-id="1"]', (el) => {
      const m = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec((el as HTMLElement).style.transform)!;
      const r = document.getElementById('map')!.getBoundingClientRect();
      return { x: r.left + Number(m[1]) - 8, y: r.top + Number(m[2]) + 14 };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => {
      const d = document.getElementById('detail')!;
      return !d.hidden && d.dataset.uavId === '1' && /GOTO/.test(d.textContent ?? '') && /refused/.test(d.textContent ?? '') && /outbox/.test(d.textContent ?? '')
        && Number(d.querySelector<HTMLCanvasElement>('#modeline')?.dataset.segments) >= 2;
    }, { timeout: 30_000 });
    // The broker goes away: the outage is listed, and with the whole bus quiet every row turns stale.
    clearInterval(timer);
    await broker.close();
    await page.waitForFunction(() => !!document.querySelector('#events li[data-kind="outage"]') && document.getElementById('conn')!.dataset.state !== 'connected'
      && document.querySelector<HTMLElement>('#fleet tr[data-uav-id="1"]')!.dataset.state === 'stale', { timeout: 60_000 });
    assert.deepEqual(errors.filter((e) => !/WebSocket/.test(e)), []);
  } finally {
    clearInterval(timer);
    await browser.close();
    await uav.close().catch(() => undefined);
    await ctl.close().catch(() => undefined);
    await view.close();
    await broker.close().catch(() => undefined);
  }
});
