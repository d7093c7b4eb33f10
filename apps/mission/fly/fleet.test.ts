import assert from 'node:assert/strict';
import { test } from 'node:test';
import { urlList } from './fleet.ts';

test('the SITL log line lists a small fleet whole and a large one by its ends', () => {
  const urls = (n: number) => Array.from({ length: n }, (_, i) => `udpout://127.0.0.1:${1000 + i}`);
  assert.equal(urlList(urls(2)), 'udpout://127.0.0.1:1000, udpout://127.0.0.1:1001');
  assert.equal(urlList(urls(6)).split(', ').length, 6);
  assert.equal(urlList(urls(250)), 'udpout://127.0.0.1:1000, udpout://127.0.0.1:1001, udpout://127.0.0.1:1002, … 244 more …, udpout://127.0.0.1:1247, udpout://127.0.0.1:1248, udpout://127.0.0.1:1249');
});
