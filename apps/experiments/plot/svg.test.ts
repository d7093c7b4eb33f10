import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, escapeXml, lineChart, titleLines } from './svg.ts';
import { formatTick, niceTicks } from './ticks.ts';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/**
 * A strict little XML well-formedness checker (independent of the writer): one root, matched
 * tags, quoted unique attributes, only the five predefined entities / char refs in text and
 * attribute values. Throws on the first error; returns the element tree.
 */
function parseXml(src: string): El {
  let i = 0;
  const checkText = (t: string, where: string): void => {
    if (/</.test(t)) throw new Error(`raw '<' in ${where}`);
    for (const m of t.matchAll(/&([^;]*);?/g)) {
      if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1] ?? '') || !m[0].endsWith(';')) throw new Error(`bad entity '${m[0]}' in ${where}`);
    }
  };
  if (src.startsWith('<?xml')) {
    const e = src.indexOf('?>');
    if (e < 0) throw new Error('unterminated prolog');
    i = e + 2;
  }
  const root: El = { name: '#doc', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = lt < 0 ? src.slice(i) : src.slice(i, lt);
    checkText(text, 'text');
    if (stack.length === 1 && text.trim() !== '') throw new Error('text outside root');
    stack[stack.length - 1]!.text += text;
    if (lt < 0) break;
    const gt = src.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = src.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const selfClose = tag.endsWith('/');
    const body = selfClose ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)/.exec(body);
    if (!m) throw new Error(`bad tag name in <${tag}>`);
    const el: El = { name: m[1]!, attrs: {}, children: [], text: '' };
    let rest = body.slice(m[1]!.length);
    const attrRe = /^\s+([A-Za-z_][\w:.-]*)="([^"]*)"/;
    for (;;) {
      const a = attrRe.exec(rest);
      if (!a) break;
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]}`);
      checkText(a[2]!, `attribute ${a[1]}`);
      el.attrs[a[1]!] = a[2]!;
      rest = rest.slice(a[0].length);
    }
    if (rest.trim() !== '') throw new Error(`junk in <${el.name}>: '${rest}'`);
    const parent = stack[stack.length - 1]!;
    if (parent === root && root.children.length > 0) throw new Error('second root element');
    parent.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

function all(el: El, pred: (e: El) => boolean, out: El[] = []): El[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}
const cls = (c: string) => (e: El) => (e.attrs.class ?? '').split(' ').includes(c);

void test('the XML checker rejects malformed documents (so the next tests can fail)', () => {
  assert.throws(() => parseXml('<svg><g></svg>'));
  assert.throws(() => parseXml('<svg a="1" a="2"/>'));
  assert.throws(() => parseXml('<svg>R&D</svg>'));
  assert.throws(() => parseXml('<svg/><svg/>'));
  assert.equal(parseXml('<svg><g a="x &amp; y">t</g></svg>').children[0]!.attrs.a, 'x &amp; y');
});

void test('lineChart: well-formed SVG with one group per series and one marker per finite point', () => {
  const svg = lineChart({
    title: 'Utilisation <vs> UAVs & "friends"',
    xLabel: 'number of UAVs',
    yLabel: 'utilisation',
    series: [
      { name: 'coalition', points: [[2, 0.5], [4, 0.61], [6, 0.7], [8, 0.74]] },
      { name: 'grand & co', points: [[2, 0.4], [4, Number.NaN], [6, 0.55]], errors: [0.02, 0, 0.03] },
      { name: 'Nash', points: [] },
    ],
    yMin: 0,
  });
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
  const series = all(root, cls('series'));
  assert.deepEqual(
    series.map((s) => s.attrs['data-name']),
    ['coalition', 'grand &amp; co', 'Nash'],
  );
  assert.deepEqual(
    series.map((s) => all(s, cls('marker')).length),
    [4, 2, 0],
  );
  assert.equal(all(root, cls('error')).length, 2);
  // The NaN breaks the line: the second series' path has two move-tos.
  const path = all(series[1]!, cls('line'))[0]!;
  assert.equal((path.attrs.d!.match(/M/g) ?? []).length, 2);
  assert.equal(all(root, cls('legend-marker')).length, 3);
  // Title text present and escaped.
  assert.ok(svg.includes('Utilisation &lt;vs&gt; UAVs &amp; &quot;friends&quot;'));
  // Every coordinate is a finite number.
  for (const m of all(root, cls('marker'))) for (const k of ['cx', 'cy', 'x', 'y']) if (m.attrs[k] !== undefined) assert.ok(Number.isFinite(Number(m.attrs[k])));
});

void test('lineChart: markers land inside the plot box and keep the data order', () => {
  const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0, 1], [10, 3], [20, 2]] }] });
  const root = parseXml(svg);
  const box = all(root, (e) => e.name === 'rect' && e.attrs.fill === 'none')[0]!;
  const [bx, by, bw, bh] = ['x', 'y', 'width', 'height'].map((k) => Number(box.attrs[k]));
  const pts = all(root, cls('marker')).map((m) => [Number(m.attrs.cx), Number(m.attrs.cy)] as const);
  assert.equal(pts.length, 3);
  for (const [x, y] of pts) {
    assert.ok(x >= bx! && x <= bx! + bw!, `x ${x} in box`);
    assert.ok(y >= by! && y <= by! + bh!, `y ${y} in box`);
  }
  assert.ok(pts[0]![0] < pts[1]![0] && pts[1]![0] < pts[2]![0]);
  assert.ok(pts[1]![1] < pts[2]![1] && pts[2]![1] < pts[0]![1], 'higher y is drawn higher up');
});

void test('barChart: well-formed SVG with one bar per finite value, negative values below zero', () => {
  const svg = barChart({
    title: 'DOR',
    xLabel: 'users',
    yLabel: 'DOR',
    categories: ['10', '20', '30'],
    series: [
      { name: 'CD+KKT', values: [0.9, 0.8, 0.7] },
      { name: 'AO', values: [0.85, -0.1, Number.POSITIVE_INFINITY] },
    ],
  });
  const root = parseXml(svg);
  const series = all(root, cls('series'));
  assert.equal(series.length, 2);
  assert.deepEqual(
    series.map((s) => all(s, cls('bar')).length),
    [3, 2],
  );
  for (const b of all(root, cls('bar'))) assert.ok(Number(b.attrs.height) >= 0);
  const texts = all(root, (e) => e.name === 'text' && e.text.trim() === '0');
  assert.ok(texts.length >= 1, 'zero is a y tick');
});

void test('nice ticks cover the data with 1/2/2.5/5 steps and clean labels', () => {
  const t = niceTicks(0.13, 0.97, 5);
  assert.equal(t.step, 0.2);
  assert.deepEqual(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const u = niceTicks(3, 3);
  assert.ok(u.min < 3 && u.max > 3);
  const w = niceTicks(-7, 1234, 5);
  assert.ok(w.min <= -7 && w.max >= 1234);
  for (const v of w.values) assert.equal(Math.abs(v / w.step - Math.round(v / w.step)) < 1e-9, true);
  assert.deepEqual(
    niceTicks(0, 10, 4).values.map((v) => formatTick(v, 2.5)),
    ['0', '2.5', '5.0', '7.5', '10.0'],
  );
  assert.equal(formatTick(50, 25), '50');
  assert.equal(formatTick(3e-5, 1e-5), '3e-5');
  assert.equal(formatTick(2.5e7, 5e6), '2.5e7');
});

void test("lineChart with markers: 'none' draws the lines and no point markers", () => {
  const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', markers: 'none', series: [{ name: 'a', points: Array.from({ length: 500 }, (_, i) => [i, Math.sin(i / 20)] as const) }] });
  assert.equal((svg.match(/class="marker"/g) ?? []).length, 0);
  assert.equal((svg.match(/class="line"/g) ?? []).length, 1);
});

void test('long titles wrap at spaces to fit the canvas, and the plot moves down for them', () => {
  const title = 'S3 Fig. 7: overall DOR (500 slots) vs users; policies trained per user count; 3 seeds (± sd) at 30 users, 1 elsewhere';
  const lines = titleLines(title, 760);
  assert.ok(lines.length >= 2);
  assert.equal(lines.join(' '), title);
  for (const l of lines) assert.ok(l.length * 9.6 <= 760 - 40, l);
  assert.deepEqual(titleLines('short', 760), ['short']);
  const svg = lineChart({ title, xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0, 1], [1, 2]] }] });
  for (const l of lines) assert.ok(svg.includes(`>${escapeXml(l)}</text>`));
});

void test('yFloor cuts error bars (and the axis) at a bound the quantity cannot cross', () => {
  const spec = { title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0, 1], [1, 5]] as [number, number][], errors: [3, 1] }] };
  assert.ok(lineChart(spec).includes('>-2<'), 'without a floor the axis goes below 0');
  const cut = lineChart({ ...spec, yMin: 0, yFloor: 0 });
  assert.ok(!/>-\d/.test(cut), 'no negative tick with the floor');
});
