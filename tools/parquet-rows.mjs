// Prints the rows of a Parquet file as hyparquet (npm, a reader written
// apart from vpcshark's) reads them: JSON {"columns": [...], "rows":
// [[...], ...]}, every value as text (integers in decimal, doubles as
// JavaScript writes them) or null. Tests compare tshark with it.
//
// Usage: node tools/parquet-rows.mjs <node_modules folder> <file.parquet>
//
// SPDX-License-Identifier: GPL-2.0-or-later

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, file] = process.argv.slice(2);
const require = createRequire(join(modules, 'x.js'));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const { parquetMetadata, parquetReadObjects, parquetSchema } = await load('hyparquet');
const { compressors } = await load('hyparquet-compressors');

const bytes = readFileSync(file);
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const columns = parquetSchema(parquetMetadata(buffer)).children.map((c) => c.element.name);
// utf8: false keeps byte arrays the file does not mark as text as bytes; they are decoded here.
const objects = await parquetReadObjects({ file: buffer, compressors, rowFormat: 'object' });
const text = (v) => (v === null || v === undefined ? null
    : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v));
const rows = objects.map((o) => columns.map((c) => text(o[c])));
process.stdout.write(JSON.stringify({ columns, rows }) + '\n');
