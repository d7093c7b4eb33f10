/**
 * The command list. Add a line per command; the module is loaded only when the command runs.
 */
import { registerCommand } from '../main.ts';

registerCommand('mission', 'fly a whole mission on this machine: broker, SITL fleet, agents, controller, users', () => import('./mission.ts'));
registerCommand('controller', 'run the ground/HAP controller against a broker', () => import('./controller.ts'));
registerCommand('agent', 'run the on-UAV agent: one autopilot, one broker', () => import('./agent.ts'));
registerCommand('world', 'simulate the user devices and their tasks', () => import('./world.ts'));
registerCommand('broker', 'run the embedded MQTT broker', () => import('./broker.ts'));
registerCommand('cluster', 'run a clustered MQTT broker on this machine (nats-server nodes, MQTT over JetStream)', () => import('./cluster.ts'));
registerCommand('plan', 'plan one slot for a JSON instance (CD+KKT, AO, AL, coalition game, grand, Nash) and print it as JSON', () => import('./plan.ts'));
registerCommand('experiment', 'regenerate a paper figure (CSV + SVG): uavmec experiment --list shows them', () => import('./experiment.ts'));
registerCommand('sitl', 'run SITL autopilots (ArduCopter or PX4 dialect) that ground stations and agents connect to', () => import('../../../sim/autopilot/cli.ts'));
registerCommand('train', 'train a policy (MADDPG, TD3, …) and export it to ONNX', () => import('./train.ts'));
registerCommand('evaluate', 'evaluate an ONNX policy or a baseline trajectory; prints mean reward/DOR as JSON', () => import('./evaluate.ts'));
registerCommand('tlog', 'inspect MAVLink .tlog files from any ground station (uavmec tlog summary <file>)', () => import('./tlog.ts'));
registerCommand('report', 'write a self-contained HTML report of a run (or two, side by side)', () => import('./report.ts'));
registerCommand('recorder', 'record a mission flown as separate processes into a run folder (mqtt.rec, summary.json)', () => import('./recorder.ts'));
registerCommand('replay', 'replay a recorded run: byte-identical plan check, or what-if with --planner', () => import('./replay.ts'));
registerCommand('profile', 'write each UAV\'s profile (what `uavmec agent --profile` reads) for a scenario', () => import('./profile.ts'));
registerCommand('keys', 'create a CA, certificates, MQTT passwords and plan/MAVLink signing keys for a fleet', () => import('./keys.ts'));
registerCommand('view', 'the ground-station view in a browser: live from a broker over WebSocket, or replaying a run', () => import('./view.ts'));
