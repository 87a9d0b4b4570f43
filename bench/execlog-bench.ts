/**
 * execlog: parsing a generated compact log (zstd) into spawns with our reader, vs its physical
 * limit in the same process: decompressing the same bytes and splitting them at the varint
 * length prefixes without decoding anything. Runs are interleaved.
 *
 * Both sides are single-threaded synchronous work in this process, so the ratio is taken from
 * the CPU time each side used (process.cpuUsage), paired run by run: on a shared, overloaded
 * machine (load average 15-20 on 2 cores while this was written) wall times of the same work
 * varied 4x between adjacent runs, while CPU times varied about 20 %. Wall times are reported
 * beside it (wallRatio).
 */
import * as fs from 'node:fs';
import { Decompress } from 'fzstd';
import { CompactLogDecoder } from '../src/execlog/compact';
import { DelimitedSplitter } from '../src/util/delimited-splitter';
import type { GeneratedCompactLog } from './compact-log-generate';
import { medianInterval, ratioInterval, round, type Interval } from './stats';

export interface ExeclogFigures {
  spawns: number;
  compressedMb: number;
  uncompressedMb: number;
  /** Compressed log MB (as on disk) parsed per second. */
  mbPerSec: number;
  uncompressedMbPerSec: number;
  splitOnlyMbPerSec: number;
  /** Parse rate / decompress-and-split rate in CPU time, median with 95 % interval. */
  ratio: Interval;
  /** The same from wall times. */
  wallRatio: Interval;
  parseMs: number[];
  splitOnlyMs: number[];
  parseCpuMs: number[];
  splitOnlyCpuMs: number[];
}

const CHUNK = 1 << 20;

function chunks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, i + CHUNK));
  return out;
}

/** Our reader, as `rbl log` and the model use it: chunks in, spawns out. Returns ms and spawns. */
export function parseCompact(parts: readonly Uint8Array[]): {
  ms: number;
  cpuMs: number;
  spawns: number;
} {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const decoder = new CompactLogDecoder('bench.exec.zst');
  let spawns = 0;
  for (const part of parts) spawns += decoder.push(part).length;
  decoder.finish();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: cpuMsSince(cpu), spawns };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The limit: zstd decompression plus varint splitting, no decoding. Returns ms and records. */
export function splitOnly(parts: readonly Uint8Array[]): {
  ms: number;
  cpuMs: number;
  records: number;
} {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const splitter = new DelimitedSplitter('bench.exec.zst');
  let records = 0;
  const zstd = new Decompress((data) => splitter.pushRanges(data, () => records++));
  parts.forEach((part, i) => zstd.push(part, i === parts.length - 1));
  splitter.finish();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: cpuMsSince(cpu), records };
}

export function runExeclogBench(
  log: GeneratedCompactLog,
  runs: number,
  say: (line: string) => void,
): ExeclogFigures {
  const parts = chunks(fs.readFileSync(log.file));
  const parse: number[] = [];
  const split: number[] = [];
  const parseCpu: number[] = [];
  const splitCpu: number[] = [];
  // One unmeasured round first: the first parse ran about 30 % slower than the rest while V8
  // compiled the reader (the split side has far less code to compile), which is start-up
  // cost, not the reading rate this figure is about.
  parseCompact(parts);
  splitOnly(parts);
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['parse', 'split'] : ['split', 'parse'];
    for (const side of order) {
      if (side === 'parse') {
        const r = parseCompact(parts);
        if (r.spawns !== log.spawns)
          throw new Error(`execlog: parsed ${r.spawns} spawns, expected ${log.spawns}`);
        parse.push(r.ms);
        parseCpu.push(r.cpuMs);
      } else {
        const r = splitOnly(parts);
        if (r.records !== log.entries)
          throw new Error(`execlog: split ${r.records} records, expected ${log.entries}`);
        split.push(r.ms);
        splitCpu.push(r.cpuMs);
      }
    }
    say(
      `execlog run ${run + 1}: parse ${parse[run]?.toFixed(0)} ms (CPU ${parseCpu[run]?.toFixed(0)}), decompress+split ${split[run]?.toFixed(0)} ms (CPU ${splitCpu[run]?.toFixed(0)})`,
    );
  }
  const mb = (bytes: number): number => bytes / 1e6;
  const p = medianInterval(parse).median / 1000;
  const s = medianInterval(split).median / 1000;
  const rounded = (i: Interval): Interval => ({
    ...i,
    median: round(i.median),
    low: round(i.low),
    high: round(i.high),
  });
  return {
    spawns: log.spawns,
    compressedMb: round(mb(log.compressedBytes), 2),
    uncompressedMb: round(mb(log.uncompressedBytes), 2),
    mbPerSec: round(mb(log.compressedBytes) / p, 1),
    uncompressedMbPerSec: round(mb(log.uncompressedBytes) / p, 1),
    splitOnlyMbPerSec: round(mb(log.uncompressedBytes) / s, 1),
    ratio: rounded(ratioInterval(splitCpu, parseCpu)),
    wallRatio: rounded(ratioInterval(split, parse)),
    parseMs: parse.map(Math.round),
    splitOnlyMs: split.map(Math.round),
    parseCpuMs: parseCpu.map(Math.round),
    splitOnlyCpuMs: splitCpu.map(Math.round),
  };
}
