// Writes the CSV query results of pcaps/query-results with DuckDB
// (tools/gen-query-results.py runs it; see there).
//
// Usage: node tools/gen-query-results.mjs <node_modules folder> <records.parquet> <output folder>
//
// SPDX-License-Identifier: GPL-2.0-or-later

import { createRequire } from 'node:module';
import { join } from 'node:path';

const [modules, records, out] = process.argv.slice(2);
const require = createRequire(join(modules, 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run('SET threads = 1');   // rows in a fixed order
await con.run(`CREATE TABLE flows AS SELECT * FROM read_parquet('${records}')`);
const copy = (query, file, options) => con.run(`COPY (${query}) TO '${join(out, file)}' (${options})`);

// Athena's console download: header and every value in double quotes, empty for null.
// SELECT * over the AWS table gives every column and the partition column (day).
await copy(`SELECT *, strftime(to_timestamp("start") AT TIME ZONE 'UTC', '%Y/%m/%d') AS "day" FROM flows ` +
           `WHERE "start" < 1664196000 ORDER BY ALL`,
           'athena-console.csv', 'HEADER, FORCE_QUOTE *');

// DuckDB's own shape: quotes only where needed. A grouped result: a subset
// of the columns in another order, sums, and a computed count.
await copy(`SELECT action, srcaddr, dstaddr, dstport, sum(packets) AS packets, sum(bytes) AS bytes, ` +
           `min("start") AS "start", max("end") AS "end", count(*) AS n FROM flows ` +
           `GROUP BY ALL ORDER BY bytes DESC NULLS FIRST, action, srcaddr, dstaddr, dstport LIMIT 400`,
           'duckdb-top-talkers.csv', 'HEADER');

// gzip-compressed, hyphenated names, and a text column holding commas,
// quotes and line breaks (so some rows span lines).
await copy(`SELECT log_status AS "log-status", interface_id AS "interface-id", dstaddr, srcaddr, "start", "end", ` +
           `packets, CASE WHEN srcport IS NULL THEN NULL WHEN srcport % 7 = 0 THEN 'tier ' || (srcport % 3) || ', "web"' ` +
           `|| chr(10) || 'second line' WHEN srcport % 5 = 0 THEN '' ELSE 'tier ' || (srcport % 3) END AS note, ` +
           `protocol FROM flows ORDER BY ALL LIMIT 300`,
           'duckdb-hyphens-note.csv.gz', 'HEADER, COMPRESSION gzip');

// Not a flow-log result: a table of software releases with version,
// action, start, end and bytes columns. Left to other readers.
await copy(`SELECT range AS id, 'app-' || (range % 4) AS name, '1.' || range AS version, ` +
           `CASE WHEN range % 3 = 0 THEN 'rollback' ELSE 'deploy' END AS action, ` +
           `1664194200 + range * 600 AS "start", 1664194200 + range * 600 + 90 AS "end", range * 1000 AS bytes ` +
           `FROM range(20)`,
           'not-flowlog-releases.csv', 'HEADER');
