/* source-parquet.h
 * Flow records as rows of a Parquet table, as S3 delivers flow logs in
 * the Parquet file format, or as Athena, Spark, pyarrow or DuckDB write
 * them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_SOURCE_PARQUET_H
#define VPCSHARK_SOURCE_PARQUET_H

#include "record-source.h"

/* A source reading the rows of a Parquet file, one record per row. */
record_source_t *parquet_source_new(void);

#endif /* VPCSHARK_SOURCE_PARQUET_H */
