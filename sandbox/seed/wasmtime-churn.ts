/**
 * Everyday commits on main of the Wasmtime-like history. The n-th commit is a pure function of n and
 * main's files, and only ever appends to a file or adds one, so fix anchors are never disturbed.
 */
import type { SeedAuthor } from "./build-repository.js";

export const CONTRIBUTORS: SeedAuthor[] = [
  { name: "Ada Lindqvist", email: "ada@contributors.invalid" },
  { name: "Bo Tanaka", email: "bo.tanaka@contributors.invalid" },
  { name: "Chidi Okafor", email: "chidi@contributors.invalid" },
  { name: "Dana Kowalczyk", email: "dana.k@contributors.invalid" },
  { name: "Emeric Fauré", email: "emeric@contributors.invalid" },
  { name: "Farah Haddad", email: "farah@contributors.invalid" },
  { name: "Gus Moreira", email: "gus@contributors.invalid" },
  { name: "Hana Novák", email: "hana@contributors.invalid" },
];

/** A 32-bit integer hash (mulberry32 step), for choices that must not depend on how far history goes. */
export function hash(n: number): number {
  let t = (n + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

const pick = <T>(items: readonly T[], n: number): T => items[hash(n) % items.length] as T;

const OPS = ["iadd", "isub", "imul", "band", "bor", "bxor", "ishl", "ushr", "sshr", "rotl", "popcnt", "clz", "fmin", "fmax", "select", "splat", "swizzle", "shuffle", "fcvt_to_sint", "uextend"];
const TYPES = ["i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "i64", "i128"];
const OPTIONS = ["wasm_wide_arithmetic", "wasm_custom_page_sizes", "memory_may_move", "table_lazy_init", "gc_heap_size", "concurrency_support", "signals_based_traps", "debug_adapter_modules", "compiler_inlining", "async_stack_zeroing"];
const WASI_FNS = ["sock_accept", "poll_oneoff", "fd_advise", "path_filestat_set_times", "fd_renumber", "sched_yield", "random_get", "clock_res_get"];
const TOPICS = ["fuel", "epochs", "pooling allocator", "component model", "WASI sockets", "async support", "the C API", "GC types"];

export interface ChurnCommit {
  message: string;
  files: Record<string, string>;
  author: SeedAuthor;
}

const append = (files: Map<string, string>, file: string, text: string) => ({ [file]: `${files.get(file) ?? ""}${text}` });

/** The n-th everyday commit on main, given main's current files; `pr` is its pull request number. */
export function churnCommit(options: { n: number; pr: number; files: Map<string, string> }): ChurnCommit {
  const { n, pr, files } = options;
  const op = pick(OPS, n * 3 + 1);
  const ty = pick(TYPES, n * 5 + 2);
  const author = pick(CONTRIBUTORS, n * 7 + 3);
  const kind = hash(n * 11 + 4) % 8;
  const commit = (subject: string, changed: Record<string, string>, body = ""): ChurnCommit => ({
    message: `${subject} (#${pr})\n${body === "" ? "" : `\n${body}\n`}`,
    files: changed,
    author,
  });
  switch (kind) {
    case 0:
    case 1:
      return commit(
        `x64: lower \`${op}\` on \`${ty}\` with fewer moves`,
        append(files, "crates/cranelift/src/isa/x64/lower.rs", `\n/// Lowers \`${op}\` on \`${ty}\`.\npub fn lower_${op}_${ty}_${n}(ctx: &mut Lower, insn: Inst) -> Option<Reg> {\n    ctx.lower_simd(insn, "${op}", "${ty}")\n}\n`),
        `This avoids a redundant register move when the result of \`${op}\` is used once.`,
      );
    case 2:
      return commit(
        `cranelift: simplify \`${op}\` with a constant operand`,
        append(files, "crates/cranelift/src/opts.rs", `\n// \`${op}\` of two constants folds to a constant.\nrule fold_${op}_${n}: (${op} ty (iconst ty a) (iconst ty b)) => (iconst ty (${op}_imm a b));\n`),
      );
    case 3: {
      const option = pick(OPTIONS, n * 13 + 5);
      return commit(
        `Add \`Config::${option}\``,
        append(files, "crates/wasmtime/src/config.rs", `\nimpl Config {\n    /// Configures \`${option}\` (variant ${n}).\n    pub fn ${option}_${n}(&mut self, enable: bool) -> &mut Self {\n        self.inner.${option} = enable;\n        self\n    }\n}\n`),
      );
    }
    case 4: {
      const fn = pick(WASI_FNS, n * 17 + 6);
      return commit(
        `wasi: implement \`${fn}\` for preview1 adapters`,
        append(files, "crates/wasi/src/preview1.rs", `\npub fn ${fn}_${n}() -> Result<(), Errno> {\n    Err(Errno::Notsup)\n}\n`),
      );
    }
    case 5:
      return commit(`Add a regression test for \`${op}\` on \`${ty}\``, {
        [`tests/misc_testsuite/issue${pr}.wast`]: `(module\n  (func (export "run") (param ${ty === "i64" || ty === "i128" ? "i64" : "v128"}) (result i32)\n    i32.const ${n % 97}))\n(assert_return (invoke "run" (i64.const 0)) (i32.const ${n % 97}))\n`,
      });
    case 6:
      return commit(
        `runtime: document \`Table\` invariants for ${pick(TOPICS, n * 19 + 7)}`,
        append(files, "crates/runtime/src/table.rs", `\n// Invariant (${pick(TOPICS, n * 19 + 7)}): elements beyond \`size()\` are never observable (#${pr}).\n`),
      );
    default:
      return commit(
        `docs: describe ${pick(TOPICS, n * 23 + 8)}`,
        append(files, "docs/stability-release.md", `\n* ${pick(TOPICS, n * 23 + 8)}: see the API documentation (#${pr}).\n`),
      );
  }
}
