/**
 * Process plumbing every app may load, the agent included: logging and the MQTT bus. The embedded
 * broker (aedes: `./broker.ts`) and the recorder (`./recorder.ts`) are imported from their own
 * files by the processes that run them, so the agent never loads a broker.
 */
export * from './log.ts';
export * from './bus.ts';
