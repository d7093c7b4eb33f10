/** S2's user devices (SPEC §5.4): busy devices' video segments, idle devices' D2D compute (devices.ts pure, service.ts on the bus). */
export { S2WorldService } from './service.ts';
export { s2Devices, slotSegments, segmentId, DeviceCpu, type S2WorldConfig, type S2Device, type SegmentSpec } from './devices.ts';
export { s2Scenario } from './scenario.ts';
