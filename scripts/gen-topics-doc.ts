/**
 * Renders docs/topics.md from the topic table (proto/topics.ts), so the docs cannot drift from
 * what the apps use. `npm run docs:topics`; a test checks the committed file is current.
 */
import fs from 'node:fs';
import { TOPICS } from '../proto/index.ts';

export function topicsMarkdown(): string {
  const rows = TOPICS.map((t) => `| \`${t.pattern}\` | ${t.type} | ${t.publisher} | ${t.subscribers.join(', ') || '—'} | ${t.qos} | ${t.rate} | ${t.description} |`);
  return [
    '# MQTT topics',
    '',
    'Generated from `proto/topics.ts` by `npm run docs:topics` — do not edit by hand.',
    'Every payload is a `uavmec.v1` protobuf message (`proto/uavmec/v1/*.proto`) with a `Header`',
    '(contract version, sender, time in µs, per-topic sequence). `{uav}` and `{user}` are ids ≥ 1.',
    'An agent publishes only on topics carrying its own `{uav}` and reads only its own plans and the fleet state.',
    '',
    '| topic | message | publisher | subscribers | QoS | rate | meaning |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('gen-topics-doc.ts')) {
  fs.writeFileSync(new URL('../docs/topics.md', import.meta.url), topicsMarkdown());
  console.log('wrote docs/topics.md');
}
