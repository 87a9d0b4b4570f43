/**
 * Splits Bazel's console text (BEP progress chunks) into the output blocks of actions. Bazel 4.2.3
 * deletes the stdout/stderr files BEP points at, so the console is where action output survives:
 * `INFO: From <progress message>:` or `ERROR: <where>: <progress message> failed: ...` starts a
 * block; the next line of Bazel's own (INFO/ERROR/WARNING/progress) ends it.
 */

export interface OutputBlock {
  /** The action's progress message, e.g. `Executing genrule //pkg:gen`. */
  message: string;
  /** Label named in the message, when there is one. */
  label: string | null;
  stream: 'stdout' | 'stderr';
  text: string;
}

const FROM = /^INFO: From (.+):$/;
const FAILED = /^ERROR: .*?: (.+?) failed: /;
const BAZEL_LINE =
  /^(INFO: |ERROR: |WARNING: |DEBUG: |FAILED: |Target |Loading|Analyzing|Executed |\[\d[\d,]* \/ )/;
const SANDBOX_HINT = /^Use --sandbox_debug to see verbose messages from the sandbox/;
const LABEL = /(@{0,2}[\w.-]*\/\/[^\s:]*:[^\s:]+)/;

export function labelInMessage(message: string): string | null {
  return LABEL.exec(message)?.[1] ?? null;
}

export class ActionOutputParser {
  private partial = '';
  private current: OutputBlock | null = null;
  /** After an ERROR header, Bazel prints the command until a blank line; output follows. */
  private skippingCommand = false;

  /** Feeds one stderr chunk; returns the blocks completed by it. */
  stderr(chunk: string): OutputBlock[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const done: OutputBlock[] = [];
    for (const line of lines) this.line(line, done);
    return done;
  }

  /** Feeds one stdout chunk: it belongs to the block being read, if any. */
  stdout(chunk: string): OutputBlock[] {
    if (!this.current || chunk === '') return [];
    return [{ ...this.current, stream: 'stdout', text: chunk }];
  }

  /** Ends the stream; returns the block still open. */
  flush(): OutputBlock[] {
    const done: OutputBlock[] = [];
    if (this.partial !== '') this.line(this.partial, done);
    this.partial = '';
    this.close(done);
    return done;
  }

  private line(line: string, done: OutputBlock[]): void {
    const header = FROM.exec(line) ?? FAILED.exec(line);
    if (header?.[1]) {
      this.close(done);
      const message = header[1];
      this.current = { message, label: labelInMessage(message), stream: 'stderr', text: '' };
      this.skippingCommand = line.startsWith('ERROR: ');
      return;
    }
    if (!this.current) return;
    if (this.skippingCommand) {
      if (line === '') this.skippingCommand = false;
      return;
    }
    if (BAZEL_LINE.test(line)) {
      this.close(done);
      return;
    }
    if (SANDBOX_HINT.test(line)) return;
    this.current.text += `${line}\n`;
  }

  private close(done: OutputBlock[]): void {
    if (this.current && this.current.text !== '') done.push(this.current);
    this.current = null;
    this.skippingCommand = false;
  }
}
