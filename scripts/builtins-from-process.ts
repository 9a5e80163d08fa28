// Node's modules in the CLI bundle come from process.getBuiltinModule, not from `import`: an
// import of a builtin makes Node build an ES module facade over it, and building it reads every
// export, which runs the lazy ones: `node:fs`'s facade loads fs streams (ReadStream), `node:util`'s
// loads TextDecoder, `node:crypto`'s webcrypto (measured: ≈ 10 ms of each CLI start). Reading only
// the names a chunk uses runs none of them.

const NAMED_IMPORT = /^import \{([^}]*)\} from "(node:[a-z0-9_/]+)";$/gm;
const DEFAULT_IMPORT = /^import ([A-Za-z_$][\w$]*) from "(node:[a-z0-9_/]+)";$/gm;
const ANY_BUILTIN_IMPORT = /^import\b[^;]*?from\s*["']node:[^"']*["'];?/m;

/** A chunk with its static imports of node: modules rewritten; any other form of one fails the build. */
export function builtinsFromProcess(code: string, chunkName: string): string {
  const rewritten = code
    .replace(NAMED_IMPORT, (_, names: string, id: string) => `const {${names.replace(/\s+as\s+/g, ': ')}} = process.getBuiltinModule(${JSON.stringify(id)});`)
    .replace(DEFAULT_IMPORT, (_, name: string, id: string) => `const ${name} = process.getBuiltinModule(${JSON.stringify(id)});`);
  const left = ANY_BUILTIN_IMPORT.exec(rewritten);
  if (left) throw new Error(`${chunkName}: scripts/builtins-from-process.ts does not rewrite this import of a node: module: ${left[0]}`);
  return rewritten;
}
