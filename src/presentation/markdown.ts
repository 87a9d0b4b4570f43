/**
 * Build strings (labels, paths, runner names, Bazel's failure text) inside the tree's Markdown
 * tooltips. VS Code renders those tooltips as Markdown without HTML, so a tag cannot become an
 * element, but an unescaped label could still turn into emphasis, a link or a code span and
 * show the user something other than what Bazel said.
 */

/**
 * Punctuation that can start or end a construct, escaped with a backslash: VS Code's own
 * `MarkdownString.appendText` set, plus what a line of Bazel's text could begin (`.`, `=`, `|`,
 * `>`), entities (`&`), HTML (`<`) and autolinks (`:` in `http://`).
 */
const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&:=]/g;

/** `text` as literal Markdown text; line breaks kept as hard breaks. */
export function mdText(text: string): string {
  return text.replace(SPECIAL, '\\$&').replace(/\r?\n/g, '  \n');
}

/** `text` as one inline code span, whatever backticks it holds (CommonMark's longer fence). */
export function mdCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A span starting or ending in a backtick needs a space inside the fence (stripped on render).
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
