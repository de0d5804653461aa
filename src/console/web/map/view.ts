/** Floor metres to canvas pixels: fit the floor with a margin, north up (floor y grows upward). */
export class View {
  scale = 1
  offX = 0
  offY = 0
  /** canvas height in CSS pixels, for the y flip */
  height = 0

  constructor(private readonly width_m: number, private readonly height_m: number) {}

  fit(width_px: number, height_px: number, margin_px = 12): void {
    this.scale = Math.max(0.01, Math.min((width_px - 2 * margin_px) / this.width_m, (height_px - 2 * margin_px) / this.height_m))
    this.offX = (width_px - this.width_m * this.scale) / 2
    this.offY = (height_px - this.height_m * this.scale) / 2
    this.height = height_px
  }

  x(m: number): number {
    return this.offX + m * this.scale
  }

  y(m: number): number {
    return this.height - (this.offY + m * this.scale)
  }

  /** Canvas pixel to floor metres (clicks). */
  toFloor(px: number, py: number): [number, number] {
    return [(px - this.offX) / this.scale, (this.height - py - this.offY) / this.scale]
  }
}
