/** The papers' physical models in one place (SPEC §3 channels, §4 computing and propulsion). */
export * from './channel.ts';
export * from './compute.ts';
export * from './propulsion.ts';
