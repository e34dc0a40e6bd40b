// Writes the Parquet flow logs of pcaps/parquet with two independent
// writers (tools/gen-parquet.py runs it; see there).
//
// Usage: node tools/gen-parquet.mjs <node_modules folder> <output folder>
//
// SPDX-License-Identifier: GPL-2.0-or-later

import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, out] = process.argv.slice(2);
const require = createRequire(join(modules, 'x.js'));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const { DuckDBInstance } = require('@duckdb/node-api');
const { parquetWriteFile } = await load('hyparquet-writer');
const { parquetMetadata } = await load('hyparquet');

// Deterministic pseudo-random numbers (mulberry32), so reruns give the same files.
let seed = 0x5eed;
function random() {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

// AWS's Parquet columns and types (VPC user guide, "Flow log records in Parquet format").
const COLUMNS = [
    ['version', 'INT32'], ['account_id', 'STRING'], ['interface_id', 'STRING'], ['srcaddr', 'STRING'],
    ['dstaddr', 'STRING'], ['srcport', 'INT32'], ['dstport', 'INT32'], ['protocol', 'INT32'],
    ['packets', 'INT64'], ['bytes', 'INT64'], ['start', 'INT64'], ['end', 'INT64'], ['action', 'STRING'],
    ['log_status', 'STRING'], ['vpc_id', 'STRING'], ['subnet_id', 'STRING'], ['instance_id', 'STRING'],
    ['tcp_flags', 'INT32'], ['type', 'STRING'], ['pkt_srcaddr', 'STRING'], ['pkt_dstaddr', 'STRING'],
    ['region', 'STRING'], ['az_id', 'STRING'], ['flow_direction', 'STRING'], ['traffic_path', 'INT32'],
];
const DUCK_TYPES = { INT32: 'INTEGER', INT64: 'BIGINT', STRING: 'VARCHAR' };

const ENIS = [['eni-0a1b', 'i-0a1b2c3d4e5f60001', '10.0.1.10'], ['eni-0c2d', 'i-0a1b2c3d4e5f60002', '10.0.2.20'],
              ['eni-0e3f', 'i-0a1b2c3d4e5f60003', '10.0.3.30']];
const T0 = 1664194200;      // 2022-09-26 12:10:00 UTC

// One flow record as an object of column values; null = missing.
function record(i) {
    const [eni, instance, local] = pick(ENIS);
    const start = T0 + i * 7 + between(0, 5);
    const base = { version: 5, account_id: '012345678901', interface_id: eni, start, end: start + between(1, 59),
                   vpc_id: 'vpc-0a1b2c3d4e5f60718', subnet_id: 'subnet-0aa11bb22cc33dd01', instance_id: instance,
                   region: 'us-east-1', az_id: 'use1-az1' };
    if (i % 50 === 7)       // no traffic in the interval
        return { ...base, srcaddr: null, dstaddr: null, srcport: null, dstport: null, protocol: null, packets: null,
                 bytes: null, action: null, log_status: 'NODATA', tcp_flags: null, type: null, pkt_srcaddr: null,
                 pkt_dstaddr: null, flow_direction: null, traffic_path: null };
    const ingress = random() < 0.5;
    const v6 = i % 23 === 3;
    const remote = v6 ? `2001:db8::${between(1, 0xffff).toString(16)}` : `203.0.113.${between(1, 254)}`;
    const here = v6 ? '2001:db8:1::10' : local;
    const reject = ingress && random() < 0.3;
    const packets = between(1, 400);
    return { ...base, srcaddr: ingress ? remote : here, dstaddr: ingress ? here : remote,
             srcport: ingress ? between(1024, 65535) : 443, dstport: ingress ? pick([22, 443, 3389]) : between(1024, 65535),
             protocol: 6, packets, bytes: packets * between(40, 1500), action: reject ? 'REJECT' : 'ACCEPT',
             log_status: 'OK', tcp_flags: pick([2, 3, 18, 19, 0]), type: v6 ? 'IPv6' : 'IPv4',
             pkt_srcaddr: ingress ? remote : here, pkt_dstaddr: ingress ? here : remote,
             flow_direction: ingress ? 'ingress' : 'egress', traffic_path: ingress ? null : pick([1, 2, 8]) };
}

const rows = Array.from({ length: 2500 }, (_, i) => record(i));

// DuckDB: loads the records from JSON with AWS's types, writes them with each codec (version 1 pages).
const scratch = mkdtempSync(join(tmpdir(), 'gen-parquet-'));
const json = join(scratch, 'flows.json');
writeFileSync(json, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run('SET threads = 1');   // row groups of the size asked, in a fixed order
const types = COLUMNS.map(([name, type]) => `"${name}": '${DUCK_TYPES[type]}'`).join(', ');
await con.run(`CREATE TABLE flows AS SELECT ${COLUMNS.map(([n]) => `"${n}"`).join(', ')} ` +
              `FROM read_json('${json}', columns = {${types}}, format = 'newline_delimited')`);
const copy = (query, file, options) => con.run(`COPY (${query}) TO '${join(out, file)}' (FORMAT PARQUET, ${options})`);

// AWS's layout: every column, GZIP, several row groups.
await copy('SELECT * FROM flows', 'duckdb-gzip-row-groups.parquet', 'COMPRESSION GZIP, ROW_GROUP_SIZE 1024');
const first = 'SELECT * FROM flows LIMIT 200';
await copy(first, 'duckdb-snappy.parquet', 'COMPRESSION SNAPPY');
await copy(first, 'duckdb-zstd.parquet', 'COMPRESSION ZSTD');
await copy(first, 'duckdb-uncompressed.parquet', 'COMPRESSION UNCOMPRESSED');
// DuckDB's version 2: DELTA_BINARY_PACKED integers and DELTA_LENGTH_BYTE_ARRAY strings (version 1 pages still).
await copy(first, 'duckdb-v2-delta.parquet', 'COMPRESSION ZSTD, PARQUET_VERSION V2');
// Hyphenated names in another order, a subset, and columns that are no flow-log field.
await copy(`SELECT "log_status" AS "log-status", dstaddr, srcaddr, "start", "end", interface_id AS "interface-id", ` +
           `packets, CASE WHEN srcport IS NULL THEN NULL ELSE 'tier ' || (srcport % 3) END AS "note", ` +
           `CAST(bytes AS DOUBLE) / 1000 AS "kilobytes" FROM flows LIMIT 120`,
           'duckdb-hyphens-subset.parquet', 'COMPRESSION GZIP');
// A nested table (OCSF-like: a struct and a list), refused with a message.
await copy(`SELECT {'ip': srcaddr, 'port': srcport} AS src_endpoint, [dstport] AS ports, action FROM flows LIMIT 5`,
           'duckdb-nested.parquet', 'COMPRESSION GZIP');
// Not a flow log: no column is a flow-log field.
await copy(`SELECT 1 AS a, 'x' AS b`, 'duckdb-not-flowlog.parquet', 'COMPRESSION GZIP');
con.closeSync?.();
rmSync(scratch, { recursive: true });

// hyparquet-writer: version 2 data pages, SNAPPY and uncompressed, several row groups.
const columnData = COLUMNS.map(([name, type]) => ({
    name, type, data: rows.slice(0, 600).map((r) => (r[name] === null ? null : type === 'INT64' ? BigInt(r[name]) : r[name])),
}));
parquetWriteFile({ filename: join(out, 'hyparquet-v2-snappy.parquet'), columnData, rowGroupSize: 256,
                   createdBy: 'hyparquet-writer (vpcshark tools/gen-parquet.mjs)' });
parquetWriteFile({ filename: join(out, 'hyparquet-v2-uncompressed.parquet'), columnData: columnData.slice(0, 14),
                   codec: 'UNCOMPRESSED', rowGroupSize: 1000 });

// Damage: the first column chunk of row group 1 of AWS's layout zeroed; row group 0 stays readable.
const whole = readFileSync(join(out, 'duckdb-gzip-row-groups.parquet'));
const meta = parquetMetadata(whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength));
const chunk = meta.row_groups[1].columns[0].meta_data;
const from = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
whole.fill(0, from, from + Number(chunk.total_compressed_size));
writeFileSync(join(out, 'duckdb-damaged-row-group-1.parquet'), whole);
