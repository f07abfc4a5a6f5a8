/**
 * Every inventory use case in one layer.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as Parts from "./Parts.ts"
import * as Resources from "./Resources.ts"
import * as Sites from "./Sites.ts"
import * as Tags from "./Tags.ts"
import * as Units from "./Units.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(Sites.layer, Tags.layer, Resources.layer, Units.layer, Parts.layer)
