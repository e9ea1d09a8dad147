/**
 * Progress for long work: a bar on an interactive terminal (stderr), nothing in pipes, CI logs or --json runs.
 */
import cliProgress from "cli-progress";

export interface Progress {
  start(label: string, total: number): void;
  update(done: number, info?: string): void;
  stop(): void;
}

const SILENT: Progress = { start() {}, update() {}, stop() {} };

export function makeProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY || process.env["CI"]) return SILENT;
  let bar: cliProgress.SingleBar | null = null;
  let total = 0;
  return {
    start(label, t) {
      total = Math.max(1, t);
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.slice(0, 40).padEnd(40)} {bar} {percentage}% {info}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 30,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { info: "" });
    },
    update(done, info = "") {
      bar?.update(Math.min(done, total), { info });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
