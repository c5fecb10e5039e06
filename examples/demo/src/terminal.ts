/**
 * Terminal output of the demo: a spinner while a tool runs when stdout is a TTY, plain lines otherwise.
 * @module
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Writes the demo's lines; `interactive` turns the spinner on. */
export class Terminal {
  readonly interactive: boolean;
  #timer: NodeJS.Timeout | undefined;
  #label = '';
  #frame = 0;
  #midLine = false;

  constructor(stream: NodeJS.WriteStream = process.stdout) {
    this.interactive = stream.isTTY === true && !process.env.CI;
  }

  /** Writes streamed text as it comes. */
  text(delta: string): void {
    process.stdout.write(delta);
    this.#midLine = !delta.endsWith('\n');
  }

  /** Writes a whole line (ending streamed text first). */
  line(text: string): void {
    this.#clearSpinner();
    if (this.#midLine) process.stdout.write('\n');
    this.#midLine = false;
    process.stdout.write(`${text}\n`);
    this.#drawSpinner();
  }

  /** Shows a spinner with a label while work runs (TTY only). */
  startSpinner(label: string): void {
    this.#label = label;
    if (!this.interactive || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#frame = (this.#frame + 1) % FRAMES.length;
      this.#drawSpinner();
    }, 80);
  }

  stopSpinner(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clearSpinner();
    this.#label = '';
  }

  #drawSpinner(): void {
    if (this.interactive && this.#timer) process.stdout.write(`\r\x1b[2K${FRAMES[this.#frame]} ${this.#label}`);
  }

  #clearSpinner(): void {
    if (this.interactive && this.#timer) process.stdout.write('\r\x1b[2K');
  }
}
