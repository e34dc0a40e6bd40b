/* file-vpcflow.h
 * AWS VPC Flow Log files: what the reader and the writer share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_FILE_VPCFLOW_H
#define VPCSHARK_FILE_VPCFLOW_H

#include "wtap-compat.h"

/* The file-type name (tshark -F, -X read_format:) and its description. */
#define VPCFLOW_FILE_TYPE_NAME        "vpcflow"
#define VPCFLOW_FILE_TYPE_DESCRIPTION "AWS VPC Flow Log"

/* Writer entry points (file-vpcflow-write.c). */
int vpcflow_dump_can_write_encap(int encap);
vpcshark_dump_open_ret vpcflow_dump_open(wtap_dumper *wdh, int *err, gchar **err_info);

void wtap_register_vpcflow(void);

#endif /* VPCSHARK_FILE_VPCFLOW_H */
