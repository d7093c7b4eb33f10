/**
 * A progress bar for long work, on stderr. On a terminal it redraws one line; otherwise (CI, a
 * pipe) it prints a line at every 10 % so logs stay readable.
 */
export class Progress {
  private lastDecile = -1;
  private readonly tty = process.stderr.isTTY === true;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  update(done: number, note = ''): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    if (this.tty) {
      const filled = Math.round(frac * this.width);
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} ${note}`.padEnd(100));
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`${this.label}: ${done}/${this.total} ${note}\n`);
    }
  }

  done(note = ''): void {
    this.update(this.total, note);
    if (this.tty) process.stderr.write('\n');
  }
}
