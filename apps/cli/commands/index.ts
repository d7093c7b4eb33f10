/**
 * The command list. Add a line per command; the module is loaded only when the command runs.
 */
import { registerCommand } from '../main.ts';

registerCommand('mission', 'fly a whole mission on this machine: broker, SITL fleet, agents, controller, users', () => import('./mission.ts'));
registerCommand('controller', 'run the ground/HAP controller against a broker', () => import('./controller.ts'));
registerCommand('agent', 'run the on-UAV agent: one autopilot, one broker', () => import('./agent.ts'));
registerCommand('world', 'simulate the user devices and their tasks', () => import('./world.ts'));
registerCommand('broker', 'run the embedded MQTT broker', () => import('./broker.ts'));
