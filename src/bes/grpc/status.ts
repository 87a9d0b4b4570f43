/**
 * gRPC status codes as they go on the wire (`grpc-status` trailer), and the percent-encoding of
 * `grpc-message` the gRPC HTTP/2 protocol asks for (PROTOCOL-HTTP2.md: printable ASCII except
 * '%' stays, everything else is %XX of its UTF-8 bytes).
 */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

/** A call ends with this status (thrown by handlers and the framing layer). */
export class CallFailure extends Error {
  constructor(
    readonly code: StatusCode,
    message: string,
  ) {
    super(message);
  }
}

/** `grpc-message` value: bytes outside 0x20..0x7E and '%' itself become %XX. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
