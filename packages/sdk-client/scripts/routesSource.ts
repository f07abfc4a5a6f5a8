/**
 * The sources of `src/LiteRoutes.ts` and `src/LiteGroups.ts`, derived from the API definition.
 */
import { Api } from "@rota/http/api"

interface Group {
  readonly identifier: string
  readonly topLevel: boolean
  readonly endpoints: Readonly<
    Record<
      string,
      { readonly method: string; readonly path: string; readonly payload: ReadonlyMap<string, unknown> }
    >
  >
}

const groups = () =>
  (Object.values(Api.groups) as unknown as ReadonlyArray<Group>).map((group) => ({
    name: group.topLevel ? "system" : group.identifier,
    group
  }))

/** The source of `src/LiteGroups.ts`: one light-client factory per group. */
export const liteGroupsSource = (): string => {
  const lines = [
    "/**",
    " * One light-client factory per group of the API. Generated from the API definition by",
    " * `npm run routes -w @rota/sdk-client`; do not edit.",
    " *",
    " * @since 0.1.0",
    " */",
    'import { type Connection, group, type LiteGroup } from "./LiteClient.ts"',
    'import * as Routes from "./LiteRoutes.ts"',
    'import type { RotaClient } from "./RotaClient.ts"',
    "",
    'type Client = RotaClient["Service"]',
    ""
  ]
  for (const { name, group } of groups()) {
    const type = group.topLevel
      ? `Pick<Client, ${Object.keys(group.endpoints)
          .map((key) => JSON.stringify(key))
          .join(" | ")}>`
      : `Client[${JSON.stringify(name)}]`
    lines.push(
      "/**",
      " * @since 0.1.0",
      " * @category groups",
      " */",
      `export const ${name} = (connection: Connection): LiteGroup<${type}> => group(connection, Routes.${name})`,
      ""
    )
  }
  return lines.join("\n")
}

export const liteRoutesSource = (): string => {
  const lines = [
    "/**",
    " * The method and path of every endpoint, per group, for the light clients. Generated from the",
    " * API definition by `npm run routes -w @rota/sdk-client`; do not edit.",
    " *",
    " * @since 0.1.0",
    " */",
    ""
  ]
  for (const { name, group } of groups()) {
    lines.push("/**", " * @since 0.1.0", " * @category routes", " */", `export const ${name} = {`)
    for (const [key, endpoint] of Object.entries(group.endpoints)) {
      // A route taking text (a CSV import) names its media type: the payload is sent as is.
      const types = [...endpoint.payload.keys()]
      const text = types.length === 1 && types[0]!.startsWith("text/") ? `, ${JSON.stringify(types[0])}` : ""
      lines.push(
        `  ${JSON.stringify(key)}: [${JSON.stringify(endpoint.method)}, ${JSON.stringify(endpoint.path)}${text}],`
      )
    }
    lines.push("} as const", "")
  }
  return lines.join("\n")
}
