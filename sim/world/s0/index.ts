/** S0's world (SPEC §5.6): the setting (fleet profiles, MED sites, seeded requests with Rayleigh fading) and the MEDs on the bus. */
export * from './setting.ts';
export { S0WorldService, type S0WorldStats } from './service.ts';
