import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DOCS_DIR, generate, jsonSchemaOf, mqttComment, schemaFile } from '../../src/contract/docs/generate.js'
import { listFiles } from '../../src/contract/docs/write.js'
import { TOPIC_KEYS, TOPICS } from '../../src/contract/topics.js'
import { fromRoot } from '../helpers/paths.js'

const OUT_OF_DATE = 'docs/contract is out of date: run npm run contract'

test('docs/contract/ on disk is exactly what generate() writes', () => {
  const files = generate()
  const onDisk = listFiles(fromRoot(DOCS_DIR))
  const missing = [...files.keys()].filter((name) => !onDisk.includes(name))
  const extra = onDisk.filter((name) => !files.has(name))
  const differ = [...files.entries()]
    .filter(([name]) => onDisk.includes(name))
    .filter(([name, content]) => readFileSync(fromRoot(DOCS_DIR, ...name.split('/')), 'utf8') !== content)
    .map(([name]) => name)
  const problems = [
    ...missing.map((n) => `missing ${n}`),
    ...extra.map((n) => `not generated ${n}`),
    ...differ.map((n) => `differs ${n}`),
  ]
  assert.ok(problems.length === 0, `${OUT_OF_DATE} (${problems.join(', ')})`)
})

test('generate() is deterministic', () => {
  assert.equal([...generate().entries()], [...generate().entries()])
})

test('one schema file per topic key, with $schema, $id, title and the MQTT settings', () => {
  const files = generate()
  assert.is(files.size, TOPIC_KEYS.length + 1)
  const ids = new Set<string>()
  for (const key of TOPIC_KEYS) {
    const text = files.get(schemaFile(key))
    assert.ok(text !== undefined, `no file for ${key}`)
    assert.ok(text.endsWith('}\n'), 'trailing newline')
    const schema = JSON.parse(text) as Record<string, unknown>
    assert.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema')
    assert.type(schema.$id, 'string')
    ids.add(schema.$id as string)
    assert.ok(String(schema.title).includes(TOPICS[key].pattern))
    assert.ok(schema.type === 'object' || Array.isArray(schema.oneOf), `${key}: an object, or a union of objects`)
    assert.is(schema.$comment, mqttComment(key))
    assert.ok(String(schema.$comment).includes(`QoS ${TOPICS[key].qos}`))
    assert.equal(schema, jsonSchemaOf(key))
  }
  assert.is(ids.size, TOPIC_KEYS.length, '$id values are unique')
})

test('schemas describe what a sender writes: fields with a default are not required', () => {
  const edge = jsonSchemaOf('edgeStatus') as { required: string[] }
  assert.ok(edge.required.includes('node'))
  assert.not.ok(edge.required.includes('cameras'), 'cameras has a default')
  const order = jsonSchemaOf('vdaOrder') as { required: string[]; additionalProperties?: unknown }
  assert.equal(order.required.slice(0, 5), ['headerId', 'timestamp', 'version', 'manufacturer', 'serialNumber'])
  assert.is(order.additionalProperties, false)
  const state = jsonSchemaOf('vdaState') as { additionalProperties?: unknown }
  assert.equal(state.additionalProperties, {}, 'vehicles may add vendor fields to state')
})

test('README lists every topic with its pattern and a link to its schema', () => {
  const readme = generate().get('README.md')
  assert.ok(readme !== undefined && readme.endsWith('\n'))
  for (const key of TOPIC_KEYS) {
    assert.ok(readme.includes(`| \`${key}\` | \`${TOPICS[key].pattern}\` |`), `row for ${key}`)
    assert.ok(readme.includes(`](${schemaFile(key)})`), `link for ${key}`)
  }
  assert.match(readme, /schemaVersion/)
  assert.match(readme, /headerId/)
})

test.run()
