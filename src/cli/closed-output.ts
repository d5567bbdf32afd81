import type { OutStream } from './output.js';

/** A stream the CLI writes to: `process.stdout` or `process.stderr`. */
type WriteStream = NodeJS.WritableStream & { isTTY?: boolean | undefined; columns?: number | undefined; rows?: number | undefined };

/** stdout and stderr, watched for a reader that went away. */
export interface WatchedOutput {
  stdout: OutStream;
  stderr: OutStream;
  /** Whether stdout or stderr failed (its reader closed it): nothing is written any more. */
  readonly closed: boolean;
}

/**
 * Watches stdout and stderr for a reader that went away: `jobwait wait … | head -1` closes the pipe
 * after one line, and the next write fails with EPIPE. Such an error is handled (no unhandled
 * 'error' event, no stack), nothing more is written to either stream, and `onClosed` runs once, to
 * stop the work (the wait's polling); the command then exits with `EXIT.OUTPUT_CLOSED`.
 * @internal
 */
export function watchOutput(stdout: WriteStream, stderr: WriteStream, onClosed: () => void): WatchedOutput {
  let closed = false;
  const onError = (): void => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  stdout.on('error', onError);
  stderr.on('error', onError);
  const guard = (stream: WriteStream): OutStream => ({
    write: (text: string) => !closed && stream.write(text),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
    on: (event: 'resize', listener: () => void) => stream.on(event, listener),
    off: (event: 'resize', listener: () => void) => stream.off(event, listener),
  });
  return {
    stdout: guard(stdout),
    stderr: guard(stderr),
    get closed() {
      return closed;
    },
  };
}
