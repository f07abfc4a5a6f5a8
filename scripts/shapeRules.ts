/**
 * Checks the shape rules of the sources (docs/architecture.md, "Shape"): no source file longer
 * than 300 lines, no function longer than 80 lines, and every method of a service built by
 * `Layer.effect` / `Layer.succeed` is a named `Effect.fn("Service.method")`, so traces name it.
 * Used by each package's Shape test.
 *
 * The scan parses each file with the TypeScript parser (syntax only, no type checking):
 * - a file's length is its line count;
 * - a function is any function declaration, function expression, arrow function or method; its
 *   length is the number of lines from its first to its last character. The closure that builds a
 *   service (the generator given to `Layer.effect`) is a function like any other, so a service
 *   whose methods are written inline in it must move them out to stay under the limit;
 * - a service method is a property of the object a `Layer.effect` / `Layer.succeed` returns
 *   (`Service.of({...})` or a bare object literal). It fails the rule when its value is written
 *   as a plain arrow or function expression, an `Effect.fnUntraced`, or an `Effect.fn` without a
 *   string span name of the form `Service.method`. A property bound to a local `const` is
 *   followed to that const's initializer. Values that are not written as functions (an effect,
 *   a stream, a function imported from a rule module) are not judged.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

/** The limits the rules enforce. */
export const maxFileLines = 300
export const maxFunctionLines = 80

/** One broken rule, as `path:line message` for a readable test failure. */
export interface Violation {
  readonly file: string
  readonly line: number
  readonly rule: "file-length" | "function-length" | "named-method"
  readonly message: string
}

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : []
  })

const lineOf = (source: ts.SourceFile, position: number): number =>
  source.getLineAndCharacterOfPosition(position).line + 1

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node)

const nameOf = (node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string => {
  if (node.name !== undefined) return node.name.getText(source)
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source)
  return "(anonymous)"
}

/** `Effect.<member>(...)` when `call` has that shape. */
const isEffectCall = (node: ts.Node, member: string): node is ts.CallExpression =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  ts.isIdentifier(node.expression.expression) &&
  node.expression.expression.text === "Effect" &&
  node.expression.name.text === member

/** Why a service method's value is not a named `Effect.fn`, or undefined when it is fine. */
const methodProblem = (value: ts.Expression): string | undefined => {
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return "a plain function, not Effect.fn"
  if (!ts.isCallExpression(value)) return undefined
  const callee = value.expression
  if (isEffectCall(callee, "fn")) {
    const [name] = callee.arguments
    return name !== undefined && ts.isStringLiteral(name) && /^[A-Za-z]\w*\.\w+$/.test(name.text)
      ? undefined
      : 'Effect.fn without a "Service.method" span name'
  }
  if (isEffectCall(value, "fnUntraced")) return "Effect.fnUntraced, not a named Effect.fn"
  if (isEffectCall(value, "fn")) return "Effect.fn without a span name"
  return undefined
}

/** The object literal a service layer builds, from `Service.of({...})` or `{...}`. */
const serviceObject = (expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
  if (expression === undefined) return undefined
  if (ts.isObjectLiteralExpression(expression)) return expression
  if (ts.isCallExpression(expression) && expression.arguments.length === 1) {
    const [argument] = expression.arguments
    if (argument !== undefined && ts.isObjectLiteralExpression(argument)) return argument
  }
  return undefined
}

/** The objects returned by the top level of a layer's body (nested functions excluded). */
const returnedObjects = (body: ts.Node): Array<ts.ObjectLiteralExpression> => {
  const found: Array<ts.ObjectLiteralExpression> = []
  const direct = ts.isExpression(body) ? serviceObject(body) : undefined
  if (direct !== undefined) return [direct]
  const visit = (node: ts.Node, depth: number): void => {
    if (isFunction(node)) {
      // The generator of `Effect.gen(function* () {...})` is the layer's body; deeper ones are not.
      if (depth > 0) return
      ts.forEachChild(node, (child) => visit(child, depth + 1))
      return
    }
    if (ts.isReturnStatement(node)) {
      const object = serviceObject(node.expression)
      if (object !== undefined) found.push(object)
    }
    ts.forEachChild(node, (child) => visit(child, depth))
  }
  visit(body, 0)
  return found
}

const localConsts = (scope: ts.Node): Map<string, ts.Expression> => {
  const consts = new Map<string, ts.Expression>()
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined)
      consts.set(node.name.text, node.initializer)
    ts.forEachChild(node, visit)
  }
  visit(scope)
  return consts
}

const isLayerBuild = (node: ts.Node): node is ts.CallExpression =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  ts.isIdentifier(node.expression.expression) &&
  node.expression.expression.text === "Layer" &&
  (node.expression.name.text === "effect" || node.expression.name.text === "succeed") &&
  node.arguments.length === 2

/** The shape violations of one source text; `file` names it in the results. */
export const violationsOf = (file: string, text: string): Array<Violation> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const violations: Array<Violation> = []
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0)
  if (lines > maxFileLines)
    violations.push({ file, line: 1, rule: "file-length", message: `${lines} lines (max ${maxFileLines})` })
  const consts = localConsts(source)
  const visit = (node: ts.Node): void => {
    if (isFunction(node)) {
      const start = lineOf(source, node.getStart(source))
      const length = lineOf(source, node.getEnd()) - start + 1
      if (length > maxFunctionLines)
        violations.push({
          file,
          line: start,
          rule: "function-length",
          message: `function ${nameOf(node, source)} is ${length} lines (max ${maxFunctionLines})`
        })
    }
    if (isLayerBuild(node)) {
      for (const object of returnedObjects(node.arguments[1]!)) {
        for (const property of object.properties) {
          const value = ts.isShorthandPropertyAssignment(property)
            ? consts.get(property.name.text)
            : ts.isPropertyAssignment(property)
              ? ts.isIdentifier(property.initializer)
                ? (consts.get(property.initializer.text) ?? property.initializer)
                : property.initializer
              : ts.isMethodDeclaration(property)
                ? undefined
                : undefined
          const problem = ts.isMethodDeclaration(property)
            ? "a method declaration, not Effect.fn"
            : value === undefined
              ? undefined
              : methodProblem(value)
          if (problem !== undefined)
            violations.push({
              file,
              line: lineOf(source, property.getStart(source)),
              rule: "named-method",
              message: `service method ${property.name?.getText(source) ?? "?"} is ${problem}`
            })
        }
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return violations
}

/** The shape violations of every `.ts` file below `dir`, paths relative to `dir`. */
export const violationsBelow = (dir: URL | string): Array<Violation> => {
  const root = typeof dir === "string" ? dir : fileURLToPath(dir)
  return sourceFiles(root).flatMap((path) =>
    violationsOf(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"))
  )
}

/** The violations as `file:line rule message` lines, for an assertion message. */
export const describeViolations = (violations: ReadonlyArray<Violation>): string =>
  violations
    .map((violation) => `${violation.file}:${violation.line} ${violation.rule} ${violation.message}`)
    .join("\n")

/** Which rules a file may still break: the files not yet brought into shape, named honestly. */
export type AllowList = Readonly<Record<string, ReadonlyArray<Violation["rule"]>>>

/**
 * The violations below `dir` the allow-list does not cover, and the allow-list entries no
 * longer needed (a file brought into shape leaves the list, so it cannot slip back).
 */
export const checkShape = (
  dir: URL | string,
  allowed: AllowList,
  rules: ReadonlyArray<Violation["rule"]> = ["file-length", "function-length", "named-method"],
  skipFolders: ReadonlyArray<string> = []
): { readonly unexpected: string; readonly stale: ReadonlyArray<string> } => {
  const found = violationsBelow(dir).filter(
    (violation) =>
      rules.includes(violation.rule) && !skipFolders.some((folder) => violation.file.startsWith(`${folder}/`))
  )
  const unexpected = found.filter((violation) => !(allowed[violation.file] ?? []).includes(violation.rule))
  const stale = Object.entries(allowed).flatMap(([file, fileRules]) =>
    fileRules
      .filter((rule) => !found.some((violation) => violation.file === file && violation.rule === rule))
      .map((rule) => `${file} ${rule}`)
  )
  return { unexpected: describeViolations(unexpected), stale }
}
