/**
 * Inventory: `/v1/sites`, `/v1/tags`, `/v1/resources` (with their units), `/v1/units` and
 * `/v1/parts`. Members read; managers and up write and see soft-deleted records.
 *
 * @since 0.1.0
 */
import { Pagination, Part, Resource, ResourceUnit, Site, Tag } from "@rota/core"
import { Schema, Struct } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { recordEndpoints } from "./InventoryRecordEndpoints.ts"
import {
  BooleanFlag,
  commaList,
  commaSeparated,
  Instant,
  includeDeleted,
  page,
  SearchText,
  sort
} from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

const groupOf = <const Name extends string>(name: Name) => HttpApiGroup.make(name)

// PATCH bodies: every field of the create body, each optional.
const SiteChanges = Site.SiteFields.mapFields(Struct.map(Schema.optionalKey))
const TagChanges = Tag.TagFields.mapFields(Struct.map(Schema.optionalKey))
const ResourceChanges = Resource.ResourceFields.mapFields(Struct.map(Schema.optionalKey))
const UnitChanges = ResourceUnit.UnitFields.mapFields(Struct.map(Schema.optionalKey))
const PartChanges = Part.PartFields.mapFields((fields) => {
  const { quantityOnHand: _stockChangesByAdjustment, ...rest } = fields
  return Struct.map(rest, Schema.optionalKey)
})

/**
 * @since 0.1.0
 * @category groups
 */
export class SitesApi extends groupOf("sites")
  .add(
    ...recordEndpoints({
      path: "/v1/sites",
      noun: { one: "a site", many: "sites" },
      entity: Site.Site,
      idParam: { id: Site.SiteId },
      create: Site.SiteFields,
      update: SiteChanges,
      filters: { q: Schema.optionalKey(SearchText) },
      sortFields: ["name", "createdAt"]
    })
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(OpenApi.annotations({ title: "Sites", description: "Where resources live." })) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class TagsApi extends groupOf("tags")
  .add(
    ...recordEndpoints({
      path: "/v1/tags",
      noun: { one: "a tag", many: "tags" },
      entity: Tag.Tag,
      idParam: { id: Tag.TagId },
      create: Tag.TagFields,
      update: TagChanges,
      filters: { q: Schema.optionalKey(SearchText) },
      sortFields: ["name", "createdAt"]
    })
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Tags",
      description: "Labels on resources, unique per organisation whatever their case."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class ResourcesApi extends groupOf("resources")
  .add(
    ...recordEndpoints({
      path: "/v1/resources",
      noun: { one: "a resource", many: "resources" },
      entity: Resource.Resource,
      idParam: { id: Resource.ResourceId },
      create: Resource.ResourceFields,
      update: ResourceChanges,
      filters: {
        type: Schema.optionalKey(commaSeparated(Resource.ResourceType)),
        status: Schema.optionalKey(commaList(Resource.ResourceStatus.literals)),
        tag: Schema.optionalKey(Tag.TagName),
        siteId: Schema.optionalKey(Site.SiteId),
        q: Schema.optionalKey(SearchText),
        createdFrom: Schema.optionalKey(Instant),
        createdTo: Schema.optionalKey(Instant)
      },
      sortFields: ["name", "createdAt", "type"]
    }),
    HttpApiEndpoint.get("listUnits", "/v1/resources/:id/units", {
      params: { id: Resource.ResourceId },
      query: {
        ...page,
        status: Schema.optionalKey(commaList(ResourceUnit.UnitStatus.literals)),
        condition: Schema.optionalKey(commaList(ResourceUnit.UnitCondition.literals)),
        q: Schema.optionalKey(SearchText),
        ...includeDeleted,
        ...sort(["barcode", "createdAt"])
      },
      success: Pagination.Page(ResourceUnit.ResourceUnit),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "List a resource's units")
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.post("createUnit", "/v1/resources/:id/units", {
      params: { id: Resource.ResourceId },
      headers: IdempotencyKeyHeader,
      payload: ResourceUnit.UnitFields,
      success: withEtag(ResourceUnit.ResourceUnit.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Add a unit to a resource")
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Resources",
      description:
        "The kinds of things an organisation lends and maintains, each with identical units. " +
        "DELETE is soft; `includeDeleted=true` and restore are for managers."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class UnitsApi extends groupOf("units")
  .add(
    HttpApiEndpoint.get("get", "/v1/units/:id", {
      params: { id: ResourceUnit.UnitId },
      query: includeDeleted,
      success: withEtag(ResourceUnit.ResourceUnit),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a unit")
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.patch("update", "/v1/units/:id", {
      params: { id: ResourceUnit.UnitId },
      headers: IfMatch,
      payload: UnitChanges,
      success: withEtag(ResourceUnit.ResourceUnit),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Update a unit")
      .annotate(Requires, "inventory.write"),
    HttpApiEndpoint.delete("remove", "/v1/units/:id", {
      params: { id: ResourceUnit.UnitId },
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Delete a unit")
      .annotate(Requires, "inventory.write"),
    HttpApiEndpoint.post("restore", "/v1/units/:id/restore", {
      params: { id: ResourceUnit.UnitId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(ResourceUnit.ResourceUnit),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Restore a deleted unit")
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Units",
      description: "The individually labelled copies of a resource; barcodes are unique per organisation."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class PartsApi extends groupOf("parts")
  .add(
    ...recordEndpoints({
      path: "/v1/parts",
      noun: { one: "a part", many: "parts" },
      entity: Part.Part,
      idParam: { id: Part.PartId },
      create: Part.PartFields,
      update: PartChanges,
      filters: {
        q: Schema.optionalKey(SearchText),
        lowStock: Schema.optionalKey(BooleanFlag)
      },
      sortFields: ["name", "sku", "quantityOnHand", "createdAt"]
    }),
    HttpApiEndpoint.post("adjust", "/v1/parts/:id/adjust", {
      params: { id: Part.PartId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: Part.Adjustment,
      success: withEtag(Part.Part),
      error: [...writeErrors, Problems.InsufficientStock]
    })
      .annotate(OpenApi.Summary, "Adjust a part's stock")
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Parts",
      description:
        "Spare parts in stock; SKUs are unique per organisation and stock never goes below zero. " +
        "Stock changes after creation go through `POST /v1/parts/{id}/adjust` with a reason."
    })
  ) {}
