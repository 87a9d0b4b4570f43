import * as vscode from 'vscode';
import { parseDiagnostics } from '../presentation/diagnostics';

/**
 * The Problems panel entries of the last build: Bazel's own errors and compiler diagnostics from
 * the console, cleared and replaced per build.
 */
export class BuildProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('Remote Build Lens');

  clear(): void {
    this.collection.clear();
  }

  /** Replaces the entries with the problems found in a finished build's console text. */
  replace(console: string, workspace: string): number {
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const parsed = parseDiagnostics(console, workspace);
    for (const p of parsed) {
      const position = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(position, position.translate(0, 1)),
        p.message,
        p.severity === 'error'
          ? vscode.DiagnosticSeverity.Error
          : p.severity === 'warning'
            ? vscode.DiagnosticSeverity.Warning
            : vscode.DiagnosticSeverity.Information,
      );
      diagnostic.source = p.source === 'bazel' ? 'bazel' : 'compiler (via bazel)';
      const list = byFile.get(p.file) ?? [];
      list.push(diagnostic);
      byFile.set(p.file, list);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    return parsed.length;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
