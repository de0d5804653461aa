import { nearlyCollinear, type Point } from '../geometry.js'
import { fmtPoint, indexUnique, missing, report, type Ctx } from './util.js'

/** Cameras: ids, the zones they see, calibration that can give a homography. */
export function checkCameras(ctx: Ctx): void {
  const { cameras, floor } = ctx.venue
  indexUnique(ctx, cameras, (c) => c.id, ['cameras'], 'id', 'camera id')
  cameras.forEach((cam, i) => {
    cam.zones.forEach((zoneId, k) => {
      if (!ctx.zones.has(zoneId)) report(ctx, ['cameras', i, 'zones', k], missing('zone', 'zones', zoneId, ctx.zones.keys()))
    })

    const pairs = cam.calibration.pairs
    const pairsPath = ['cameras', i, 'calibration', 'pairs']
    if (pairs.length < 4) {
      report(ctx, pairsPath, `camera "${cam.id}" has ${pairs.length} calibration pair${pairs.length === 1 ? '' : 's'}; a homography needs at least 4`)
    } else {
      const first4 = pairs.slice(0, 4)
      for (const side of ['floor', 'image'] as const) {
        const trio = collinearTrio(first4.map((p) => p[side]))
        if (trio !== undefined) {
          report(
            ctx,
            pairsPath,
            `calibration of camera "${cam.id}" is degenerate: the ${side} points of pairs ${trio.join(', ').replace(/, (\d+)$/, ' and $1')} lie on one line; the first four pairs need four ${side} points with no three in a line`,
          )
          break
        }
      }
    }
    pairs.forEach((pair, k) => {
      const [u, v] = pair.image
      if (u > cam.width_px || v > cam.height_px) {
        report(ctx, [...pairsPath, k, 'image'], `image point ${fmtPoint(pair.image)} lies outside the ${cam.width_px}x${cam.height_px} image of camera "${cam.id}"`)
      }
      const [x, y] = pair.floor
      if (x < 0 || y < 0 || x > floor.width_m || y > floor.height_m) {
        report(ctx, [...pairsPath, k, 'floor'], `floor point ${fmtPoint(pair.floor)} lies outside the floor (x 0..${floor.width_m} m, y 0..${floor.height_m} m)`)
      }
    })
  })
}

/** Indices of the first three of (up to) four points that lie on one line, if any. */
function collinearTrio(points: ReadonlyArray<Point>): [number, number, number] | undefined {
  for (let a = 0; a < points.length; a++)
    for (let b = a + 1; b < points.length; b++)
      for (let c = b + 1; c < points.length; c++) if (nearlyCollinear(points[a]!, points[b]!, points[c]!)) return [a, b, c]
  return undefined
}

/** Robots: ids, dock nodes, transports, unique VDA 5050 identities, battery thresholds. */
export function checkRobots(ctx: Ctx): void {
  const { robots } = ctx.venue
  for (const [id, robot] of indexUnique(ctx, robots, (r) => r.id, ['robots'], 'id', 'robot id')) ctx.robots.set(id, robot)
  const identities = new Map<string, number>()
  const docks = new Map<string, number>()
  robots.forEach((robot, i) => {
    if (!ctx.nodes.has(robot.dockNode)) {
      report(ctx, ['robots', i, 'dockNode'], missing('navigation node', 'nodes', robot.dockNode, ctx.nodes.keys()))
    } else {
      const other = docks.get(robot.dockNode)
      if (other !== undefined) report(ctx, ['robots', i, 'dockNode'], `dock node "${robot.dockNode}" is already the dock of robot "${robots[other]!.id}"`)
      else docks.set(robot.dockNode, i)
    }
    if (robot.transport === 'ros2' && robot.ros2 === undefined) {
      report(ctx, ['robots', i, 'transport'], `robot "${robot.id}" uses transport ros2 but has no ros2 section (ros2.namespace)`)
    }
    const identity = `${robot.vda5050.manufacturer}/${robot.vda5050.serialNumber}`
    const same = identities.get(identity)
    if (same !== undefined) {
      report(ctx, ['robots', i, 'vda5050'], `robot "${robot.id}" has the same VDA 5050 manufacturer and serialNumber (${identity}) as robot "${robots[same]!.id}"`)
    } else identities.set(identity, i)
    if (robot.battery.low_pct >= robot.battery.ready_pct) {
      report(ctx, ['robots', i, 'battery', 'low_pct'], `battery low_pct ${robot.battery.low_pct} of robot "${robot.id}" must be below ready_pct ${robot.battery.ready_pct}`)
    }
  })
}
