// Placeholder until the full VDA 5050 2.x schemas land: header fields only.
import { z } from 'zod'

const Header = {
  headerId: z.number().int().min(0),
  timestamp: z.string(),
  version: z.string(),
  manufacturer: z.string(),
  serialNumber: z.string(),
}
export const Order = z.looseObject(Header)
export const InstantActions = z.looseObject(Header)
export const State = z.looseObject(Header)
export const Visualization = z.looseObject(Header)
export const Connection = z.looseObject(Header)
export const Factsheet = z.looseObject(Header)
