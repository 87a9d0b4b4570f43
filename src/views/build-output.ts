import * as vscode from 'vscode';
import { AnsiLineBuffer } from '../presentation/ansi';

/**
 * The "Remote Build Lens" output channel: Bazel's own console output, ANSI stripped, one build
 * after another with a header line. Lines are written whole so a colour code cut between two
 * chunks never shows as garbage.
 */
export class BuildOutput implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Remote Build Lens');
  private lines = new AnsiLineBuffer();

  startBuild(commandLine: string): void {
    this.finishBuild();
    this.lines = new AnsiLineBuffer();
    this.channel.appendLine(`> ${commandLine}  (${new Date().toISOString()})`);
  }

  /** A chunk of console output, as it arrived. */
  append(chunk: string): void {
    const complete = this.lines.push(chunk);
    if (complete !== '') this.channel.append(complete);
  }

  /** Our own one-line messages, told apart from Bazel's bytes by the prefix the CLI uses too. */
  note(message: string): void {
    this.channel.appendLine(`rbl: ${message}`);
  }

  finishBuild(): void {
    const rest = this.lines.flush();
    if (rest !== '') this.channel.appendLine(rest);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
