/* source-text.h
 * Flow records one per line: S3 exports (header lines switch the
 * format), Firehose and headerless files, and CloudWatch Logs exports to
 * S3, whose lines start with the event time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_SOURCE_TEXT_H
#define VPCSHARK_SOURCE_TEXT_H

#include "record-source.h"

/* A source reading lines; header lines it meets go into formats. */
record_source_t *text_source_new(format_table_t *formats);

#endif /* VPCSHARK_SOURCE_TEXT_H */
