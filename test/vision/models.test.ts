import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { copyFile, open } from 'node:fs/promises'
import { join } from 'node:path'
import { checkModelFile, DEFAULT_SPECS, installModels, ModelError, modelDir, openModels, closeModels, type Progress } from '../../src/vision/models/index.js'
import { tempDir } from '../helpers/mqtt.js'

function recorder(): Progress & { lines: string[] } {
  const lines: string[] = []
  return { lines, line: (t) => lines.push(t), bytes: () => undefined }
}

test('models install fetches the pack, checks every hash, and is a no-op (offline) once cached', async () => {
  const dir = await tempDir('venue-models-')
  try {
    const first = recorder()
    const r1 = await installModels(first, dir.path)
    assert.equal(r1.installed.sort(), Object.values(DEFAULT_SPECS).map((s) => s.file).sort())
    assert.ok(first.lines.some((l) => l.includes('npm pack')))
    for (const spec of Object.values(DEFAULT_SPECS)) assert.ok((await checkModelFile(spec, dir.path)).ok, spec.file)

    const second = recorder()
    const r2 = await installModels(second, dir.path)
    assert.is(r2.installed.length, 0)
    assert.is(r2.cached.length, 4)
    assert.equal(second.lines, [], 'nothing fetched')
  } finally {
    await dir.remove()
  }
})

test('a corrupted model file is reported by name, refused before onnxruntime sees it, and repaired by install', async () => {
  const dir = await tempDir('venue-models-')
  try {
    for (const spec of Object.values(DEFAULT_SPECS)) await copyFile(join(modelDir(), spec.file), join(dir.path, spec.file))
    const victim = join(dir.path, DEFAULT_SPECS.embedder.file)
    const fh = await open(victim, 'r+')
    await fh.write(Buffer.from([0xde, 0xad, 0xbe, 0xef]), 0, 4, 1000)
    await fh.close()

    const check = await checkModelFile(DEFAULT_SPECS.embedder, dir.path)
    assert.ok(!check.ok && check.problem === 'corrupt' && check.detail.includes('fr_feature.onnx'))
    try {
      await openModels({ dir: dir.path })
      assert.unreachable('opened a corrupt model')
    } catch (err) {
      assert.instance(err, ModelError)
      assert.match((err as Error).message, /fr_feature\.onnx is corrupt: sha256 [0-9a-f]{64}, expected 87aacdfe/)
      assert.match((err as Error).message, /venue models install/)
    }

    const repair = recorder()
    const r = await installModels(repair, dir.path)
    assert.equal(r.installed, ['fr_feature.onnx'])
    assert.ok(repair.lines.some((l) => l.includes('is corrupt')))
    const models = await openModels({ dir: dir.path })
    assert.equal(models.detector.session.inputNames.length, 1)
    await closeModels(models)
  } finally {
    await dir.remove()
  }
})

test('a missing model file says to run the install step', async () => {
  const dir = await tempDir('venue-models-')
  try {
    await openModels({ dir: dir.path })
    assert.unreachable('opened models from an empty folder')
  } catch (err) {
    const message = (err as Error).message
    for (const file of ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_liveness']) assert.match(message, new RegExp(`${file}\\.onnx is missing`))
    assert.match(message, /run `venue models install`$/)
  } finally {
    await dir.remove()
  }
})

test.run()
