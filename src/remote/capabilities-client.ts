import * as grpc from '@grpc/grpc-js';
import { build } from '../gen/protos';

type ServerCapabilities = build.bazel.remote.execution.v2.ServerCapabilities;
const { GetCapabilitiesRequest, ServerCapabilities } = build.bazel.remote.execution.v2;

const GET_CAPABILITIES = '/build.bazel.remote.execution.v2.Capabilities/GetCapabilities';

export interface CapabilitiesCall {
  /** `host:port` or `unix:/path`. */
  target: string;
  credentials: grpc.ChannelCredentials;
  metadata: grpc.Metadata;
  instanceName: string;
  timeoutMs: number;
}

/**
 * Calls REAPI `Capabilities.GetCapabilities` once over a fresh channel and closes it. Rejects
 * with the grpc-js `ServiceError` unchanged; classifying it is `classifyFailure`'s job.
 */
export function getCapabilities(call: CapabilitiesCall): Promise<ServerCapabilities> {
  const client = new grpc.Client(call.target, call.credentials, {
    // One attempt: a connection test must report the first failure, not hide it behind retries.
    'grpc.enable_retries': 0,
  });
  const request = GetCapabilitiesRequest.create({ instanceName: call.instanceName });
  return new Promise<ServerCapabilities>((resolve, reject) => {
    client.makeUnaryRequest(
      GET_CAPABILITIES,
      (req: typeof request) => Buffer.from(GetCapabilitiesRequest.encode(req).finish()),
      (bytes: Buffer) => ServerCapabilities.decode(bytes),
      request,
      call.metadata,
      { deadline: Date.now() + call.timeoutMs },
      (err, value) => {
        client.close();
        if (err) reject(err);
        else if (value) resolve(value);
        else reject(new Error('GetCapabilities returned no message'));
      },
    );
  });
}
