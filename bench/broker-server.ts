/**
 * Our broker in a process of its own for the benchmark, as Mosquitto is: same test venue, on-disk
 * persistence in the folder given as argv[2]. Prints {"port": N} once listening; stops on SIGTERM.
 */
import { startBroker } from '../test/helpers/mqtt.js'
import { testVenue } from '../test/helpers/venue.js'

const dataDir = process.argv[2]
if (dataDir === undefined) throw new Error('usage: broker-server.js DATA_DIR')
const running = await startBroker(await testVenue(), { dataDir })
process.stdout.write(JSON.stringify({ port: running.addresses.tcp.port }) + '\n')
process.on('SIGTERM', () => {
  void running.broker.stop().then(() => process.exit(0))
})
