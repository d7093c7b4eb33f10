/** node-mavlink's dialect namespaces and enums, re-exported so callers need one import. */
export { minimal, common, standard, ardupilotmega } from 'node-mavlink';
