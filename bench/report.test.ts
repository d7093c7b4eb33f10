import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaceSection } from './report.ts';

test('a benchmark replaces only its own section of docs/benchmarks.md', () => {
  const doc = '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nold b\n';
  assert.equal(replaceSection(doc, 'A', '## A\n\nnew a\n'), '# Benchmarks\n\n## A\n\nnew a\n\n## B\n\nold b\n');
  assert.equal(replaceSection(doc, 'B', '## B\n\nnew b'), '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nnew b\n');
  assert.equal(replaceSection(doc, 'C', '## C\n\nc\n'), '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nold b\n\n## C\n\nc\n');
  assert.equal(replaceSection(doc, 'A (x)', '## A (x)\n'), `${doc.trimEnd()}\n\n## A (x)\n`);
});
