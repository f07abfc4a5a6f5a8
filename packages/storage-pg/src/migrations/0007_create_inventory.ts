import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Inventory: sites, tags, resources (with their tags), resource units and parts. Every table is
 * keyed by (org_id, id), and references between them carry the org_id, so a row can only ever
 * point at rows of its own org. Unique names and codes are unique among live rows: a deleted
 * unit's barcode can be given to a new one.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE sites (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      address text,
      timezone text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`CREATE INDEX sites_org_name ON sites (org_id, name, id)`
  yield* sql`CREATE INDEX sites_org_created ON sites (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE tags (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`CREATE UNIQUE INDEX tags_name_key ON tags (org_id, lower(name)) WHERE deleted_at IS NULL`
  yield* sql`CREATE INDEX tags_org_name ON tags (org_id, name, id)`
  yield* sql`CREATE INDEX tags_org_created ON tags (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE resources (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      site_id uuid,
      type text NOT NULL,
      name text NOT NULL,
      description text,
      serial_number text,
      status text NOT NULL CHECK (status IN ('AVAILABLE', 'MAINTENANCE', 'DISABLED')),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, site_id) REFERENCES sites (org_id, id)
    )`
  yield* sql`CREATE INDEX resources_org_created ON resources (org_id, created_at, id)`
  yield* sql`CREATE INDEX resources_org_name ON resources (org_id, name, id)`
  yield* sql`CREATE INDEX resources_org_type ON resources (org_id, type, id)`
  yield* sql`
    CREATE TABLE resource_tags (
      org_id uuid NOT NULL,
      resource_id uuid NOT NULL,
      tag_id uuid NOT NULL,
      PRIMARY KEY (org_id, resource_id, tag_id),
      FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id),
      FOREIGN KEY (org_id, tag_id) REFERENCES tags (org_id, id)
    )`
  yield* sql`CREATE INDEX resource_tags_tag ON resource_tags (org_id, tag_id)`
  yield* sql`
    CREATE TABLE resource_units (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      resource_id uuid NOT NULL,
      barcode text NOT NULL,
      condition text NOT NULL CHECK (condition IN ('NEW', 'GOOD', 'FAIR', 'DAMAGED')),
      status text NOT NULL CHECK (status IN ('AVAILABLE', 'MAINTENANCE', 'RETIRED')),
      notes text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id)
    )`
  yield* sql`CREATE UNIQUE INDEX resource_units_barcode_key ON resource_units (org_id, barcode) WHERE deleted_at IS NULL`
  yield* sql`CREATE INDEX resource_units_resource ON resource_units (org_id, resource_id, created_at, id)`
  yield* sql`
    CREATE TABLE parts (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      sku text NOT NULL,
      name text NOT NULL,
      description text,
      quantity_on_hand integer NOT NULL CHECK (quantity_on_hand >= 0),
      unit_price_amount bigint NOT NULL CHECK (unit_price_amount >= 0),
      unit_price_currency char(3) NOT NULL,
      reorder_level integer NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`CREATE UNIQUE INDEX parts_sku_key ON parts (org_id, lower(sku)) WHERE deleted_at IS NULL`
  yield* sql`CREATE INDEX parts_org_name ON parts (org_id, name, id)`
  yield* sql`CREATE INDEX parts_org_sku ON parts (org_id, sku, id)`
  yield* sql`CREATE INDEX parts_org_created ON parts (org_id, created_at, id)`
})
