/**
 * The import closure of an entry module: every file reachable through static imports, re-exports,
 * dynamic `import('…')` with a literal and `new URL('…', import.meta.url)` (worker scripts), and
 * every npm package named on the way. Works on the TypeScript sources and on the built JavaScript.
 * Used by the agent-boundary test and by `npm run pack:agent` (which ships exactly this closure).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportClosure {
  /** Absolute paths, sorted. */
  files: string[];
  /** Package name → files (relative to `root`) that import it. */
  packages: Map<string, string[]>;
  /** File → the file that first pulled it in (for "why is this here" chains). */
  via: Map<string, string>;
}

export interface ClosureOptions {
  /** Follow `import type` / `export type` too (default true: a type-only edge is still a dependency of the source). */
  typeOnly?: boolean;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Module specifiers in one file, with whether each is type-only. */
export function specifiers(file: string): { spec: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, file.endsWith('.ts') || file.endsWith('.mts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const out: { spec: string; typeOnly: boolean }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const allTypes = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      out.push({ spec: n.moduleSpecifier.text, typeOnly: allTypes });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const allTypes = n.isTypeOnly || (!!n.exportClause && ts.isNamedExports(n.exportClause) && n.exportClause.elements.length > 0 && n.exportClause.elements.every((e) => e.isTypeOnly));
      out.push({ spec: n.moduleSpecifier.text, typeOnly: allTypes });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, typeOnly: false });
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'URL' && n.arguments?.length === 2 && ts.isStringLiteralLike(n.arguments[0]!) && n.arguments[1]!.getText(sf) === 'import.meta.url') {
      const spec = (n.arguments[0] as ts.StringLiteral).text;
      if (spec.startsWith('.')) out.push({ spec, typeOnly: false });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

export function importClosure(root: string, entries: string[], o: ClosureOptions = {}): ImportClosure {
  const typeOnly = o.typeOnly ?? true;
  const seen = new Set<string>();
  const packages = new Map<string, string[]>();
  const via = new Map<string, string>();
  const stack = entries.map((e) => path.resolve(root, e));
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(m?[jt]s)$/.test(file)) continue; // a data file reached by URL (e.g. a .proto): listed, not parsed
    for (const { spec, typeOnly: t } of specifiers(file)) {
      if (t && !typeOnly) continue;
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!fs.existsSync(target)) continue;
        if (!seen.has(target) && !via.has(target)) via.set(target, file);
        stack.push(target);
        continue;
      }
      const p = packageName(spec);
      const list = packages.get(p) ?? [];
      list.push(path.relative(root, file));
      packages.set(p, list);
    }
  }
  return { files: [...seen].sort(), packages, via };
}

/** "a ← b ← entry": how `file` got into the closure. */
export function chain(root: string, c: ImportClosure, file: string): string {
  const out: string[] = [];
  for (let f: string | undefined = file; f && out.length < 50; f = c.via.get(f)) out.push(path.relative(root, f));
  return out.join(' ← ');
}
