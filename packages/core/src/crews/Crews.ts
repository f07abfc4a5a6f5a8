/**
 * Every crews use case in one layer.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as Assignments from "./Assignments.ts"
import * as Availabilities from "./Availabilities.ts"
import * as Missions from "./Missions.ts"
import * as Projects from "./Projects.ts"
import * as RateProfiles from "./RateProfiles.ts"

/**
 * Projects delete their missions, which cancel their assignments.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(Projects.layer, Availabilities.layer, RateProfiles.layer).pipe(
  Layer.provideMerge(Missions.layer),
  Layer.provideMerge(Assignments.layer)
)
