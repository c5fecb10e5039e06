/**
 * Terminal output of the demo: a spinner while tools run when the stream is a TTY, plain lines otherwise.
 * The spinner lives on the last line only: every line written clears it first and draws it again after,
 * and stopping it erases it, so nothing of it stays on screen.
 * @module
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** Writes the demo's lines to `stream` (stdout by default); a TTY outside CI gets the spinner. */
export class Terminal {
  /** Whether the spinner is drawn (a TTY, and not `CI`). */
  readonly interactive: boolean;
  readonly #stream: NodeJS.WritableStream;
  #timer: NodeJS.Timeout | undefined;
  #label = '';
  #frame = 0;
  #midLine = false;
  #drawn = false;

  /** `interactive` overrides the TTY-and-not-CI rule. */
  constructor(
    stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
    interactive = stream.isTTY === true && !process.env.CI,
  ) {
    this.#stream = stream;
    this.interactive = interactive;
  }

  /** Writes streamed text as it comes (the spinner is erased first, and waits for the next whole line). */
  text(delta: string): void {
    this.#erase();
    this.#stream.write(delta);
    this.#midLine = !delta.endsWith('\n');
  }

  /** Writes a whole line (ending streamed text first). */
  line(text: string): void {
    this.#erase();
    if (this.#midLine) this.#stream.write('\n');
    this.#midLine = false;
    this.#stream.write(`${text}\n`);
    this.#draw();
  }

  /** Shows the spinner with `label`, or changes its label when it runs already (TTY only). */
  spin(label: string): void {
    this.#label = label;
    if (!this.interactive) return;
    this.#timer ??= setInterval(() => {
      this.#frame = (this.#frame + 1) % FRAMES.length;
      this.#draw();
    }, 80);
    this.#draw();
  }

  /** Stops the spinner and erases it from the screen. */
  stopSpinner(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#erase();
    this.#label = '';
  }

  #draw(): void {
    if (!this.#timer || this.#midLine) return;
    this.#stream.write(`${CLEAR_LINE}${FRAMES[this.#frame]} ${this.#label}`);
    this.#drawn = true;
  }

  #erase(): void {
    if (!this.#drawn) return;
    this.#stream.write(CLEAR_LINE);
    this.#drawn = false;
  }
}
