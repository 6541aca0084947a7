/**
 * Compiles template text in an isolated Handlebars environment that knows only our
 * value helpers and the plain block helpers. Before compiling, the syntax tree is
 * checked so that no mustache can write a value raw (noEscape would let it through)
 * and no partial or decorator can pull in text from elsewhere.
 */
import Handlebars from "handlebars";
import { templateFault } from "./errors.ts";
import { VALUE_HELPERS, helperFunctions } from "./helpers.ts";
import type { JobTemplateView } from "./params.ts";

export type CompiledTemplate = (view: JobTemplateView) => string;

const env = Handlebars.create();
for (const name of VALUE_HELPERS) env.registerHelper(name, helperFunctions[name]);

const VALUE_HELPER_SET: ReadonlySet<string> = new Set(VALUE_HELPERS);
const BLOCK_HELPERS: ReadonlySet<string> = new Set(["if", "unless", "each", "with"]);

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

function pathName(expr: Expr): string | undefined {
  return expr.type === "PathExpression" ? (expr as hbs.AST.PathExpression).original : undefined;
}

/** Arguments may be fields or literals, never sub-expressions or hash pairs. */
function checkArgs(file: string, node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement): void {
  if (node.hash && node.hash.pairs.length > 0) throw templateFault(file, `line ${node.loc.start.line}: hash arguments are not allowed`);
  for (const arg of node.params) {
    if (!["PathExpression", "StringLiteral", "NumberLiteral", "BooleanLiteral"].includes(arg.type)) {
      throw templateFault(file, `line ${node.loc.start.line}: only fields and literals may be helper arguments`);
    }
  }
}

function checkNode(file: string, node: Node): void {
  switch (node.type) {
    case "ContentStatement":
    case "CommentStatement":
      return;
    case "Program":
      for (const child of (node as hbs.AST.Program).body) checkNode(file, child);
      return;
    case "MustacheStatement": {
      const m = node as hbs.AST.MustacheStatement;
      const name = pathName(m.path);
      if (name === undefined || !VALUE_HELPER_SET.has(name) || m.params.length === 0) {
        throw templateFault(
          file,
          `line ${m.loc.start.line}: every value must go through a quoting helper (${VALUE_HELPERS.join(", ")})`,
        );
      }
      checkArgs(file, m);
      return;
    }
    case "BlockStatement": {
      const b = node as hbs.AST.BlockStatement;
      const name = pathName(b.path);
      if (name === undefined || !BLOCK_HELPERS.has(name) || b.params.length !== 1) {
        throw templateFault(file, `line ${b.loc.start.line}: only #if, #unless, #each and #with blocks are allowed`);
      }
      checkArgs(file, b);
      checkNode(file, b.program);
      if (b.inverse) checkNode(file, b.inverse);
      return;
    }
    default:
      throw templateFault(file, `line ${node.loc.start.line}: ${node.type} is not allowed in job templates`);
  }
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 64; // built-ins plus a few operator versions; old entries are simply dropped

/** Parses, checks and compiles; compiled templates are reused for identical text. */
export function compileTemplate(source: string, file: string): CompiledTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source);
  } catch (e) {
    throw templateFault(file, `cannot parse: ${(e as Error).message}`, e);
  }
  checkNode(file, ast);
  const compiled = env.compile(ast, { noEscape: true, strict: true }) as CompiledTemplate;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}
