// Runs SQL statements in DuckDB (npm @duckdb/node-api) and prints what
// each returns: JSON [{"columns": [...], "rows": [[...], ...]}, ...],
// every value as text (integers in decimal, doubles as JavaScript writes
// them) or null. tests/test_report_sql.py runs the queries sql=athena
// makes with it.
//
// Usage: node tools/duckdb-queries.mjs <node_modules folder> < statements.json
//   statements.json: {"setup": [sql, ...], "queries": [sql, ...]}
//
// SPDX-License-Identifier: GPL-2.0-or-later

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [modules] = process.argv.slice(2);
const require = createRequire(join(modules, 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const { setup, queries } = JSON.parse(readFileSync(0, 'utf8'));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const sql of setup)
    await connection.run(sql);

const text = (v) => (v === null || v === undefined ? null : String(v));
const answers = [];
for (const sql of queries) {
    const reader = await connection.runAndReadAll(sql);
    answers.push({ columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(text)) });
}
process.stdout.write(JSON.stringify(answers) + '\n');
