/**
 * stdout as commands write their data to it. It remembers whether any data went out, so that a
 * failure or Ctrl+C after that is reported on stderr only (a `{"error":…}` after the rows would
 * make a `-o json > file` no longer JSON, and an ndjson reader would take it for a row), and it
 * holds the closing text of a JSON document still open (the `]` of a streamed array), so that what
 * was written stays one whole document when the run stops early. The exit code (130, or the
 * failure's own) tells a script the data is incomplete.
 */
export interface DataStdout {
  write(text: string): unknown;
  /** Whether any data has been written. */
  readonly started: boolean;
  /** Registers the text that closes a document being written; the returned function writes it (once). */
  openDocument(closing: string): () => void;
  /** Writes the closing text of every document still open, innermost first. */
  closeOpenDocuments(): void;
}

const TRACKED = Symbol('dvas.data-stdout');

/**
 * A new tracker per run of main(): `dvas demo` runs commands inside its own run, on the same
 * stdout, and each of them reports its own failure as if alone.
 */
export function trackStdout(target: { write(text: string): unknown }): DataStdout {
  let started = false;
  const open: Array<{ closing: string; closed: boolean }> = [];
  const close = (document: { closing: string; closed: boolean }) => {
    if (document.closed) return;
    document.closed = true;
    open.splice(open.indexOf(document), 1);
    target.write(document.closing);
  };
  const stdout: DataStdout & { [TRACKED]: true } = {
    [TRACKED]: true,
    write: (text) => {
      if (text.length > 0) started = true;
      return target.write(text);
    },
    get started() {
      return started;
    },
    openDocument: (closing) => {
      const document = { closing, closed: false };
      open.push(document);
      return () => close(document);
    },
    closeOpenDocuments: () => {
      for (const document of [...open].reverse()) close(document);
    },
  };
  return stdout;
}

function isDataStdout(stream: object): stream is DataStdout {
  return TRACKED in stream;
}

/** The run's tracker when `stdout` is one (a context made by main), else a new one (a context made alone, in tests). */
export function dataStdout(stdout: { write(text: string): unknown }): DataStdout {
  return isDataStdout(stdout) ? stdout : trackStdout(stdout);
}
