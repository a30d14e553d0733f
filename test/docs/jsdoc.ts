// Finds the public API's undocumented names with the TypeScript compiler: every export of the package's
// entries, every public member of the classes and interfaces they export, and every property of the
// factory objects (df.layers, df.optimizers, …). A member that implements or overrides a documented one
// shares its comment, as TypeDoc shows it; `@internal` members are not public.
import ts from 'typescript';

/** One public name without a JSDoc comment: `Owner.member` and the file:line that declares it. */
export interface Undocumented {
  name: string;
  file: string;
  line: number;
}

/** The public names of the `entries` modules, how many were looked at and which have no JSDoc. */
export function undocumented(program: ts.Program, entries: readonly string[]): { checked: number; missing: Undocumented[] } {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Symbol>();
  const missing: Undocumented[] = [];
  let checked = 0;

  const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const hasDoc = (s: ts.Symbol | undefined) => !!s && s.getDocumentationComment(checker).length > 0;
  const internal = (d: ts.Node) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal');
  const record = (name: string, at: ts.Node, ok: boolean) => {
    const sf = at.getSourceFile();
    if (sf.isDeclarationFile) return;
    checked++;
    if (!ok) missing.push({ name, file: sf.fileName, line: sf.getLineAndCharacterOfPosition(at.getStart()).line + 1 });
  };
  const isPublic = (d: ts.Declaration) => {
    if (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
    const n = ts.getNameOfDeclaration(d);
    return !(n && ts.isPrivateIdentifier(n)) && !internal(d);
  };

  /** The same-named member of the classes a class extends and the interfaces it implements. */
  const inherited = (d: ts.ClassDeclaration, name: string): ts.Symbol[] =>
    (d.heritageClauses ?? []).flatMap((h) => h.types).flatMap((t) => {
      const p = checker.getTypeAtLocation(t).getProperty(name);
      return p ? [p] : [];
    });

  const members = (owner: string, s: ts.Symbol, d: ts.Declaration) => {
    if (ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d)) {
      for (const m of s.members ? [...s.members.values()] : []) {
        const md = m.declarations?.[0];
        if (!md || !isPublic(md) || ts.isConstructorDeclaration(md) || ts.isIndexSignatureDeclaration(md) || ts.isTypeParameterDeclaration(md)) continue;
        const ok = hasDoc(m) || (ts.isClassDeclaration(d) && inherited(d, m.name).some(hasDoc));
        record(`${owner}.${m.name}`, md, ok);
      }
    } else if (ts.isVariableDeclaration(d) && d.initializer && ts.isObjectLiteralExpression(d.initializer)) {
      for (const p of d.initializer.properties) {
        const ps = p.name ? checker.getSymbolAtLocation(p.name) : undefined;
        if (!ps || !p.name) continue;
        // `{ dense }` or `{ constant: constantInitializer }`: the function's own comment documents it.
        const target = ts.isShorthandPropertyAssignment(p)
          ? checker.getShorthandAssignmentValueSymbol(p)
          : ts.isPropertyAssignment(p) && (ts.isIdentifier(p.initializer) || ts.isPropertyAccessExpression(p.initializer)) ? checker.getSymbolAtLocation(p.initializer) : undefined;
        record(`${owner}.${p.name.getText()}`, p, hasDoc(ps) || (target !== undefined && hasDoc(resolve(target))));
      }
    }
  };

  const walk = (prefix: string, moduleSymbol: ts.Symbol) => {
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const s = resolve(e);
      if (seen.has(s)) continue;
      seen.add(s);
      const d = s.declarations?.[0];
      if (!d) continue;
      if (ts.isSourceFile(d)) {
        walk(`${prefix}${e.name}.`, s);
        continue;
      }
      record(`${prefix}${e.name}`, d, hasDoc(s) || hasDoc(e));
      members(`${prefix}${e.name}`, s, d);
    }
  };

  for (const entry of entries) {
    const sf = program.getSourceFile(entry);
    const ms = sf && checker.getSymbolAtLocation(sf);
    if (!ms) throw new Error(`${entry} is not a module of the program`);
    walk('', ms);
  }
  return { checked, missing };
}
