/**
 * What every webview page of ours shares: one HTML escape for build strings and attribute
 * values, and the nonce its Content-Security-Policy lets scripts run by.
 */
import { randomBytes } from 'node:crypto';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** A fresh nonce for a page's CSP: 128 random bits, base64. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}
