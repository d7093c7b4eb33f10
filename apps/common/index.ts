/**
 * Process plumbing shared by the ground-side apps: logging, the MQTT bus, the embedded broker
 * (aedes) and the recorder. The agent imports `./log.ts` and `./bus.ts` directly and never this
 * barrel, which would load aedes (lint rule and test/agent/boundary.test.ts, issue 14).
 */
export * from './log.ts';
export * from './bus.ts';
export * from './broker.ts';
export * from './recorder.ts';
