// The CAS side of our test worker: reads and writes blobs of a real REAPI server with the batch
// calls, and ByteStream for blobs larger than the server's batch limit.
import { createHash, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { build, google } from '../../../src/gen/protos';

const v2 = build.bazel.remote.execution.v2;
const bs = google.bytestream;
type Digest = build.bazel.remote.execution.v2.IDigest;

const CAS = '/build.bazel.remote.execution.v2.ContentAddressableStorage';
const BYTESTREAM = '/google.bytestream.ByteStream';
/** Stay well under BuildGrid's 4 MiB message limit for one batch call. */
const BATCH_LIMIT = 2 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export function digestOf(data: Uint8Array): { hash: string; sizeBytes: number } {
  return { hash: createHash('sha256').update(data).digest('hex'), sizeBytes: data.length };
}

export function digestKey(d: Digest): string {
  return `${d.hash ?? ''}/${Number(d.sizeBytes ?? 0)}`;
}

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

export class CasClient {
  private readonly client: grpc.Client;

  constructor(
    target: string,
    private readonly instanceName: string,
  ) {
    this.client = new grpc.Client(target, grpc.credentials.createInsecure());
  }

  close(): void {
    this.client.close();
  }

  private unary<Req, Res>(
    method: string,
    req: Req,
    reqCodec: Codec<Req>,
    resCodec: Codec<Res>,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        method,
        (m: Req) => Buffer.from(reqCodec.encode(m).finish()),
        (b: Buffer) => resCodec.decode(b),
        req,
        new grpc.Metadata(),
        { deadline: Date.now() + 60_000 },
        (err, res) =>
          err ? reject(err) : res ? resolve(res) : reject(new Error(`${method}: empty reply`)),
      );
    });
  }

  /** Fetches blobs by digest; throws naming the first one the server does not have. */
  async read(digests: Digest[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const unique = [...new Map(digests.map((d) => [digestKey(d), d])).values()];
    const small = unique.filter((d) => Number(d.sizeBytes ?? 0) <= BATCH_LIMIT);
    for (const d of unique)
      if (Number(d.sizeBytes ?? 0) === 0) out.set(digestKey(d), Buffer.alloc(0));
    for (const batch of batches(small.filter((d) => Number(d.sizeBytes) > 0))) {
      const res = await this.unary(
        `${CAS}/BatchReadBlobs`,
        v2.BatchReadBlobsRequest.create({ instanceName: this.instanceName, digests: batch }),
        v2.BatchReadBlobsRequest,
        v2.BatchReadBlobsResponse,
      );
      for (const r of res.responses ?? []) {
        if ((r.status?.code ?? 0) !== 0 || !r.digest)
          throw new Error(
            `CAS has no blob ${digestKey(r.digest ?? {})}: ${r.status?.message ?? ''}`,
          );
        out.set(digestKey(r.digest), Buffer.from(r.data ?? new Uint8Array()));
      }
    }
    for (const d of unique.filter((x) => Number(x.sizeBytes ?? 0) > BATCH_LIMIT))
      out.set(digestKey(d), await this.readStream(d));
    return out;
  }

  async readOne(digest: Digest): Promise<Buffer> {
    const blob = (await this.read([digest])).get(digestKey(digest));
    if (!blob) throw new Error(`CAS did not return ${digestKey(digest)}`);
    return blob;
  }

  private readStream(d: Digest): Promise<Buffer> {
    const prefix = this.instanceName ? `${this.instanceName}/` : '';
    const req = bs.ReadRequest.create({
      resourceName: `${prefix}blobs/${d.hash}/${Number(d.sizeBytes)}`,
    });
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      const call = this.client.makeServerStreamRequest(
        `${BYTESTREAM}/Read`,
        (m: typeof req) => Buffer.from(bs.ReadRequest.encode(m).finish()),
        (b: Buffer) => bs.ReadResponse.decode(b),
        req,
      );
      call.on('data', (r: google.bytestream.ReadResponse) => parts.push(Buffer.from(r.data)));
      call.on('error', reject);
      call.on('end', () => resolve(Buffer.concat(parts)));
    });
  }

  /** Uploads whatever of `blobs` the server is missing. */
  async write(blobs: Buffer[]): Promise<void> {
    const byKey = new Map(blobs.map((b) => [digestKey(digestOf(b)), b]));
    if (byKey.size === 0) return;
    const missing = await this.unary(
      `${CAS}/FindMissingBlobs`,
      v2.FindMissingBlobsRequest.create({
        instanceName: this.instanceName,
        blobDigests: [...byKey.values()].map(digestOf),
      }),
      v2.FindMissingBlobsRequest,
      v2.FindMissingBlobsResponse,
    );
    const todo = (missing.missingBlobDigests ?? [])
      .map((d) => byKey.get(digestKey(d)))
      .filter((b): b is Buffer => !!b);
    const small = todo.filter((b) => b.length <= BATCH_LIMIT);
    for (const batch of batches(small.map(digestOf))) {
      const res = await this.unary(
        `${CAS}/BatchUpdateBlobs`,
        v2.BatchUpdateBlobsRequest.create({
          instanceName: this.instanceName,
          requests: batch.map((d) => ({ digest: d, data: byKey.get(digestKey(d)) })),
        }),
        v2.BatchUpdateBlobsRequest,
        v2.BatchUpdateBlobsResponse,
      );
      const failed = (res.responses ?? []).find((r) => (r.status?.code ?? 0) !== 0);
      if (failed)
        throw new Error(
          `CAS refused ${digestKey(failed.digest ?? {})}: ${failed.status?.message ?? ''}`,
        );
    }
    for (const blob of todo.filter((b) => b.length > BATCH_LIMIT)) await this.writeStream(blob);
  }

  private writeStream(blob: Buffer): Promise<void> {
    const d = digestOf(blob);
    const prefix = this.instanceName ? `${this.instanceName}/` : '';
    const resourceName = `${prefix}uploads/${randomUUID()}/blobs/${d.hash}/${d.sizeBytes}`;
    return new Promise((resolve, reject) => {
      const call = this.client.makeClientStreamRequest(
        `${BYTESTREAM}/Write`,
        (m: google.bytestream.IWriteRequest) => Buffer.from(bs.WriteRequest.encode(m).finish()),
        (b: Buffer) => bs.WriteResponse.decode(b),
        (err) => (err ? reject(err) : resolve()),
      );
      for (let offset = 0; offset < blob.length; offset += CHUNK) {
        const end = Math.min(offset + CHUNK, blob.length);
        call.write({
          resourceName: offset === 0 ? resourceName : '',
          writeOffset: offset,
          data: blob.subarray(offset, end),
          finishWrite: end === blob.length,
        });
      }
      call.end();
    });
  }
}

/** Splits digests into groups whose total size fits one batch call. */
function batches(digests: Digest[]): Digest[][] {
  const out: Digest[][] = [];
  let current: Digest[] = [];
  let size = 0;
  for (const d of digests) {
    const n = Number(d.sizeBytes ?? 0);
    if (current.length > 0 && size + n > BATCH_LIMIT) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(d);
    size += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
