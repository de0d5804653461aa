import { indexUnique, missing, report, type Ctx } from './util.js'

/** Rules: ids, the zones they name, the tailgating gate. */
export function checkRules(ctx: Ctx): void {
  const { rules } = ctx.venue
  indexUnique(ctx, rules, (r) => r.id, ['rules'], 'id', 'rule id')
  rules.forEach((rule, i) => {
    if ('zones' in rule && rule.zones !== undefined) {
      rule.zones.forEach((zoneId, k) => {
        if (!ctx.zones.has(zoneId)) report(ctx, ['rules', i, 'zones', k], missing('zone', 'zones', zoneId, ctx.zones.keys()))
      })
    }
    if (rule.kind === 'tailgating') {
      const door = ctx.doors.get(rule.gate)
      if (door === undefined) report(ctx, ['rules', i, 'gate'], missing('door', 'doors', rule.gate, ctx.doors.keys()))
      else if (!door.gate) report(ctx, ['rules', i, 'gate'], `door "${door.id}" is not a check-in gate: tailgating needs a door with gate: true`)
    }
  })
}

/** Principals: unique names; edge and robot principals bound to an existing edge node or robot. */
export function checkPrincipals(ctx: Ctx): void {
  const { principals, cameras } = ctx.venue
  indexUnique(ctx, principals, (p) => p.name, ['principals'], 'name', 'principal name')
  const edgeNodes = [...new Set(cameras.map((c) => c.edgeNode))]
  principals.forEach((p, i) => {
    const path = ['principals', i]
    if (p.role === 'edge') {
      if (p.edgeNode === undefined) report(ctx, path, `principal "${p.name}" has role edge but no edgeNode (the edge node whose cameras it publishes for)`)
      else if (!edgeNodes.includes(p.edgeNode)) {
        const known = edgeNodes.length === 0 ? 'there are no cameras' : `cameras are served by: ${edgeNodes.join(', ')}`
        report(ctx, [...path, 'edgeNode'], `edge node "${p.edgeNode}" serves no camera (${known})`)
      }
    } else if (p.edgeNode !== undefined) {
      report(ctx, [...path, 'edgeNode'], `edgeNode is only for role edge; principal "${p.name}" has role ${p.role}`)
    }
    if (p.role === 'robot') {
      if (p.robot === undefined) report(ctx, path, `principal "${p.name}" has role robot but no robot (the robot id it speaks for)`)
      else if (!ctx.robots.has(p.robot)) report(ctx, [...path, 'robot'], missing('robot', 'robots', p.robot, ctx.robots.keys()))
    } else if (p.robot !== undefined) {
      report(ctx, [...path, 'robot'], `robot is only for role robot; principal "${p.name}" has role ${p.role}`)
    }
  })
}
