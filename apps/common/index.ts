/** Process plumbing shared by the apps: logging, the MQTT bus, the embedded broker, the recorder. */
export * from './log.ts';
export * from './bus.ts';
export * from './broker.ts';
export * from './recorder.ts';
