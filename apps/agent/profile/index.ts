/**
 * The agent's UavProfile (proto/uavmec/v1/profile.proto): what it knows about its vehicle and
 * mission area.
 * - `readProfileFile(file)` / `parseProfileJson(text)` / `parseProfileBinary(bytes)` → checked profile;
 *   `profileJson(p)` writes one (file.ts).
 * - `agentSettings(profile, uavId)` → the envelope configuration and the AgentConfig; `profileEnvelope`,
 *   `profileFence`, `profileOrigin` (settings.ts).
 */
export { readProfileFile, parseProfileJson, parseProfileBinary, profileJson, type ProfileError } from './file.ts';
export { agentSettings, profileEnvelope, profileFence, profileOrigin, CONTROL_RATE_HZ, TELEMETRY_RATE_HZ, type AgentSettings } from './settings.ts';
