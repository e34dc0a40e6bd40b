/* source-cloudwatch.h
 * Flow records in CloudWatch Logs JSON: the output of "aws logs
 * filter-log-events" / "get-log-events" (pages may be concatenated),
 * subscription-filter payloads (gzip'd, back to back as Firehose writes
 * them to S3), the Lambda form {"awslogs":{"data":...}}, and
 * newline-delimited {"message": ...} documents.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_SOURCE_CLOUDWATCH_H
#define VPCSHARK_SOURCE_CLOUDWATCH_H

#include "record-source.h"

/* A source reading events; their format is the one formats has at offset 0. */
record_source_t *cloudwatch_source_new(format_table_t *formats);

#endif /* VPCSHARK_SOURCE_CLOUDWATCH_H */
