/**
 * Calibrates the local input-token estimate with what the gateway reported: per model, the largest of
 * the last few `actual / estimated` ratios, plus a 5% margin. Before any report the factor is 1
 * (the estimate itself, which errs high).
 * @module
 */

/** How many recent ratios a model keeps. */
const WINDOW = 8;
/** Margin over the largest recent ratio. */
const MARGIN = 1.05;

/** Per-model calibration of input estimates. */
export class InputCalibration {
  readonly #ratios = new Map<string, number[]>();

  /** The factor to multiply a raw estimate by, for `model`. */
  factor(model: string): number {
    const ratios = this.#ratios.get(model);
    if (!ratios || ratios.length === 0) return 1;
    return Math.min(4, Math.max(0.25, Math.max(...ratios) * MARGIN));
  }

  /** Records a reported input count against the raw estimate that was made for it. */
  observe(model: string, estimated: number, actual: number): void {
    if (!(estimated > 0) || !(actual >= 0)) return;
    const ratios = this.#ratios.get(model) ?? [];
    ratios.push(actual / estimated);
    if (ratios.length > WINDOW) ratios.shift();
    this.#ratios.set(model, ratios);
  }
}
