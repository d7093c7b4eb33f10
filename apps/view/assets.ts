/**
 * Where the page's files come from — all from this package, nothing from a CDN: the page itself
 * (apps/view/public), the browser builds of mqtt and protobufjs from node_modules, and the
 * contract's .proto files. `resolveAsset` maps a URL path to a file, or undefined.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTO_DIR, PROTO_FILES } from '../../proto/index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PUBLIC = path.join(HERE, 'public');
const require = createRequire(import.meta.url);

/** The root folder of an installed package (walks up from its main entry). */
function packageDir(name: string): string {
  let d = path.dirname(require.resolve(name));
  while (path.basename(d) !== name && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

const VENDOR: Record<string, () => string> = {
  'mqtt.min.js': () => path.join(packageDir('mqtt'), 'dist', 'mqtt.min.js'),
  'protobuf.min.js': () => path.join(packageDir('protobufjs'), 'dist', 'protobuf.min.js'),
};

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.proto': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

/** A file under `root` named by the URL path `rel`, refusing anything that climbs out. */
export function inside(root: string, rel: string): string | undefined {
  const p = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (p !== root && !p.startsWith(root + path.sep)) return undefined;
  return fs.existsSync(p) && fs.statSync(p).isFile() ? p : undefined;
}

export function resolveAsset(urlPath: string): string | undefined {
  if (urlPath === '/') return path.join(PUBLIC, 'index.html');
  if (urlPath.startsWith('/vendor/')) return VENDOR[urlPath.slice('/vendor/'.length)]?.();
  if (urlPath.startsWith('/proto/')) return urlPath.endsWith('.proto') ? inside(PROTO_DIR, urlPath.slice('/proto/'.length)) : undefined;
  if (urlPath.startsWith('/app/')) return inside(PUBLIC, urlPath.slice('/app/'.length));
  return undefined;
}

/** The .proto files the page loads, relative to proto/ (the contract's own list). */
export function protoFiles(): string[] {
  return [...PROTO_FILES];
}
