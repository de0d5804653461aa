import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { brokerUrlOf, readRoleSecret } from '../connect.js'
import { EdgeNode } from '../../edge/node.js'
import { rtspSource } from '../../edge/sources/index.js'
import { CameraHealth } from '../../edge/health/index.js'
import { createLogger } from '../../shared/log.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { parseCount } from '../options.js'

interface EdgeFlags {
  config: string
  node: string
  brokerUrl?: string
  user?: string
  secretFile?: string
  slots?: number
  galleryKeyFile?: string
  data?: string
}

export function registerEdge(program: Command): void {
  program
    .command('edge')
    .description('run an edge node: every camera the venue file assigns to it, RTSP in, sightings and camera status out')
    .requiredOption('-c, --config <file>', 'venue file')
    .requiredOption('--node <id>', 'edge node id (cameras[].edgeNode)')
    .option('--broker-url <url>', 'MQTT broker (default: venue file)')
    .option('--user <name>', 'MQTT principal (default: the node id)')
    .option('--secret-file <file>', 'file holding the principal\'s secret (default: $VENUE_EDGE_SECRET)')
    .option('--slots <n>', 'analysis slots, one face pipeline each (default 2)', parseCount)
    .option('--gallery-key-file <file>', 'gallery key (default: venue file, else $VENUE_GALLERY_KEY)')
    .option('--data <dir>', 'folder of the outbox queue (default: var/edge/<node> beside the broker data)')
    .action(async (flags: EdgeFlags) => {
      const logger = createLogger()
      const { venue, file } = await loadVenue(flags.config)
      const data = flags.data ?? resolve(dirname(file), venue.broker.dataDir, '..', 'edge', flags.node)
      const node = new EdgeNode({
        venue,
        venueFile: file,
        node: flags.node,
        url: flags.brokerUrl ?? brokerUrlOf(venue),
        username: flags.user ?? flags.node,
        password: readRoleSecret(flags.secretFile, 'VENUE_EDGE_SECRET'),
        logger,
        ...(flags.slots === undefined ? {} : { slots: flags.slots }),
        ...(flags.galleryKeyFile === undefined ? {} : { galleryKeyFile: flags.galleryKeyFile }),
        outboxFile: join(data, 'outbox.sqlite'),
        sourceFor: (camera) => rtspSource(camera.rtspUrl, { id: camera.id, width: camera.width_px, height: camera.height_px, fps: camera.fps, logger: logger.child({ camera: camera.id }) }),
        healthFor: () => new CameraHealth(Date.now()),
      })
      const life = new Lifecycle(logger)
      const stopped = life.stopOnSignals()
      await life.start('edge', node)
      await stopped
    })
}
