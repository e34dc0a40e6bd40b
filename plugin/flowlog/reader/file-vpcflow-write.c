/* file-vpcflow-write.c
 * Wiretap writer for AWS VPC Flow Log files (tshark -F vpcflow, File >
 * Export Specified Packets).
 *
 * Writes what an S3 export holds: a header line, then the records byte
 * for byte. The header is the format the first record carries; when a
 * later record carries another one (frames merged from several exports),
 * a new header line goes before it, which the reader understands.
 * Records whose format is not known are written without a header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "file-vpcflow.h"

#include "vpcflow-frame.h"

#include <string.h>

typedef struct {
    char *header;           /* format of the last header line written, or NULL */
} vpcflow_dumper_t;

int
vpcflow_dump_can_write_encap(int encap)
{
    /* Frames of other protocols in an Exported PDU file are refused per record. */
    return encap == WTAP_ENCAP_WIRESHARK_UPPER_PDU ? 0 : WTAP_ERR_UNWRITABLE_ENCAP;
}

static gboolean
write_line(wtap_dumper *wdh, const char *text, gsize len, int *err)
{
    return wtap_dump_file_write(wdh, text, len, err) && wtap_dump_file_write(wdh, "\n", 1, err);
}

static vpcshark_bool
vpcflow_dump(wtap_dumper *wdh, const wtap_rec *rec, VPCSHARK_WRITE_DATA_PARAM int *err, gchar **err_info)
{
    vpcflow_dumper_t *dumper = (vpcflow_dumper_t *)wdh->priv;
    const guint8 *data = VPCSHARK_WRITE_DATA(rec, pd);
    vpcflow_envelope_t env;
    gsize payload;

    if (rec->rec_type != REC_TYPE_PACKET) {
        *err = WTAP_ERR_UNWRITABLE_REC_TYPE;
        return FALSE;
    }
    if (rec->rec_header.packet_header.pkt_encap != WTAP_ENCAP_WIRESHARK_UPPER_PDU) {
        *err = WTAP_ERR_UNWRITABLE_ENCAP;
        return FALSE;
    }
    guint32 caplen = rec->rec_header.packet_header.caplen;
    if (!vpcflow_epdu_payload(data, caplen, &payload) ||
        !vpcflow_envelope_parse(data + payload, caplen - payload, &env)) {
        *err = WTAP_ERR_UNWRITABLE_REC_DATA;
        *err_info = g_strdup("vpcflow: only VPC flow-log records can be written as a flow-log file");
        return FALSE;
    }

    if (env.format_length > 0 &&
        (!dumper->header || strlen(dumper->header) != env.format_length ||
         memcmp(dumper->header, env.format, env.format_length) != 0)) {
        if (!write_line(wdh, env.format, env.format_length, err))
            return FALSE;
        g_free(dumper->header);
        dumper->header = g_strndup(env.format, env.format_length);
    }
    return write_line(wdh, env.record, env.record_length, err);
}

static vpcshark_bool
vpcflow_dump_finish(wtap_dumper *wdh, int *err _U_, gchar **err_info _U_)
{
    vpcflow_dumper_t *dumper = (vpcflow_dumper_t *)wdh->priv;

    /* wtap_dump_close() frees priv itself. */
    g_free(dumper->header);
    dumper->header = NULL;
    return TRUE;
}

vpcshark_dump_open_ret
vpcflow_dump_open(wtap_dumper *wdh, int *err _U_, gchar **err_info _U_)
{
    wdh->priv = g_new0(vpcflow_dumper_t, 1);
    wdh->subtype_write = vpcflow_dump;
    wdh->subtype_finish = vpcflow_dump_finish;
    return TRUE;
}
