/** MQTT topic-filter arithmetic (MQTT 3.1.1 section 4.7). */

/** Does `topic` (no wildcards) match `filter`? [MQTT-4.7.1-2], [MQTT-4.7.2-1] for `$` topics. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === '#') return true
    if (i >= t.length) return false
    if (level !== '+' && level !== t[i]) return false
  }
  return f.length === t.length
}

/**
 * Is every topic that `inner` can match also matched by `outer`? This is how a subscription filter is
 * checked against the filters a principal may read: `venue/v1/s/cameras/+/status` is inside
 * `venue/v1/s/#`, but `venue/#` is not.
 */
export function filterCovers(outer: string, inner: string): boolean {
  // A wildcard first level never reaches `$` topics [MQTT-4.7.2-1]
  if (inner.startsWith('$') && (outer.startsWith('+') || outer.startsWith('#'))) return false
  const o = outer.split('/')
  const n = inner.split('/')
  for (let i = 0; i < o.length; i++) {
    const ol = o[i]
    if (ol === '#') return true
    const nl = n[i]
    if (nl === undefined) return false
    if (nl === '#') return false
    if (ol === '+') continue
    if (nl === '+' || nl !== ol) return false
  }
  return o.length === n.length
}
