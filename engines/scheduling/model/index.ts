/** Scenario parameters, movement-power models and link rates for the pool (SPEC §3 S1, §4, §5.3). */
export type { PoolParams, UavSpec, MotionModel, S1Airframe } from './params.ts';
export {
  DEFAULT_POOL_PARAMS,
  S1_AIRFRAME,
  defaultUav,
  rotaryWingMotion,
  s1Motion,
  s1HoverPowerW,
  startPoints,
  userRateBps,
  uavRateBps,
} from './params.ts';
