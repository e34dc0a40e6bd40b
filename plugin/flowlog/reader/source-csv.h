/* source-csv.h
 * Flow records as rows of a CSV query result: what Athena's console
 * downloads, Trino's CLI and DuckDB's COPY write (docs/query-results.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_SOURCE_CSV_H
#define VPCSHARK_SOURCE_CSV_H

#include "record-source.h"

/* A source reading the rows of a CSV file whose header names flow-log
 * columns; each header (results joined end to end have several) goes
 * into formats. */
record_source_t *csv_source_new(format_table_t *formats);

#endif /* VPCSHARK_SOURCE_CSV_H */
