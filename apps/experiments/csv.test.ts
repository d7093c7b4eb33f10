import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from './csv.ts';
import { EXPERIMENTS, lazy } from './registry.ts';

void test('toCsv quotes only fields that need it and blanks non-finite numbers', () => {
  const csv = toCsv(['name', 'value'], [
    ['plain', 1.5],
    ['with,comma', Number.NaN],
    ['say "hi"', 3],
    ['two\nlines', null],
  ]);
  assert.equal(csv, 'name,value\nplain,1.5\n"with,comma",\n"say ""hi""",3\n"two\nlines",\n');
  assert.throws(() => toCsv(['a', 'b'], [[1]]), RangeError);
});

void test('experiment names are unique and lazy() defers loading until run', async () => {
  const names = EXPERIMENTS.map((e) => e.name);
  assert.equal(new Set(names).size, names.length);
  let loaded = 0;
  const e = lazy('x', 'd', async () => {
    loaded++;
    return { default: async (o) => ({ files: [`${o.outDir}/x.csv`] }) };
  });
  assert.equal(loaded, 0);
  assert.deepEqual(await e.run({ seed: 1, outDir: '/tmp/o', quick: true }), { files: ['/tmp/o/x.csv'] });
  assert.equal(loaded, 1);
});
