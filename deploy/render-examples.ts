/**
 * Renders the example files in deploy/ from the generators (the ACL from the topic table):
 *   node --import tsx deploy/render-examples.ts
 * deploy/examples.test.ts fails when they are out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mosquittoAcl } from '../apps/security/acl.ts';
import { mosquittoConf } from '../apps/security/mosquitto.ts';

export const EXAMPLE_DIR = '/etc/mosquitto/uavmec';

export function exampleAcl(): string {
  return mosquittoAcl({ uavIds: [1, 2, 3, 4], recorder: true });
}

export function exampleConf(): string {
  const tls = { cafile: `${EXAMPLE_DIR}/ca.crt`, certfile: `${EXAMPLE_DIR}/broker.crt`, keyfile: `${EXAMPLE_DIR}/broker.key` };
  return mosquittoConf({
    aclFile: `${EXAMPLE_DIR}/acl`,
    listeners: [
      { port: 8883, host: '0.0.0.0', tls },
      { port: 8884, host: '0.0.0.0', tls: { ...tls, requireCertificate: false }, passwordFile: `${EXAMPLE_DIR}/passwd` },
    ],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  fs.writeFileSync(path.join(dir, 'acl.example'), exampleAcl());
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), exampleConf());
  console.log('wrote deploy/acl.example and deploy/mosquitto.conf');
}
