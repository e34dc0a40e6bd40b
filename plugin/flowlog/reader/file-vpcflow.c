/* file-vpcflow.c
 * Wiretap file type for AWS VPC Flow Logs: one frame per flow record.
 *
 * The open routine looks at the start of the file, picks the source that
 * reads its shape (text lines, CloudWatch Logs JSON events, the rows of a
 * Parquet file or of a CSV query result) and
 * decides the format of records that come before any header line: a
 * format given by the user, a headerless layout recognised from the
 * values, or none (the dissector then asks for one). Reading asks the
 * source for a record and turns it into a frame with the one record
 * builder (plugin/flowlog/core/vpcflow-record.h); the frame carries its
 * format, so records stay decodable after Save As pcapng or mergecap.
 * The frame time is the record's start; each network interface (or log
 * stream) is a capture interface of its own.
 *
 * Input may be gzip/zstd/lz4 compressed: the wiretap file wrappers
 * decompress. A Parquet file's or a CSV result's column names are its
 * format.
 *
 * Docs: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "file-vpcflow.h"
#include "format-table.h"
#include "source-cloudwatch.h"
#include "source-csv.h"
#include "source-parquet.h"
#include "source-text.h"

#include "parquet-file.h"

#include "vpcflow-fields.h"
#include "vpcflow-record.h"
#include "vpcflow-settings.h"

#include <string.h>

/* A header line with at least this many known names is convincing alone. */
#define HEADER_CONVINCING_NAMES 3

/* Interfaces (one per ENI or log stream) beyond this share interface 0. */
#define INTERFACES_MAX 10000

static const guint8 utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

static int vpcflow_file_type_subtype = -1;

typedef struct {
    record_source_t *source;
    format_table_t   formats;
    GHashTable      *interfaces;        /* interface or stream name -> interface id + 1 */
} vpcflow_t;

/*
 * The capture interface of a record: one per network interface (or log
 * stream), named after it, added as the file reveals them, as pcapng
 * files add interfaces while they are read.
 */
static guint32
interface_for(wtap *wth, vpcflow_t *vf, const char *name, gsize len)
{
    if (!name || len == 0)
        return 0;
    char *key = g_strndup(name, len);
    gpointer known = g_hash_table_lookup(vf->interfaces, key);
    if (known || g_hash_table_size(vf->interfaces) >= INTERFACES_MAX) {
        g_free(key);
        return known ? GPOINTER_TO_UINT(known) - 1 : 0;
    }

    wtap_block_t idb = wtap_block_create(WTAP_BLOCK_IF_ID_AND_INFO);
    wtapng_if_descr_mandatory_t *mand = (wtapng_if_descr_mandatory_t *)wtap_block_get_mandatory_data(idb);
    gboolean ms = wth->file_tsprec == WTAP_TSPREC_MSEC;
    mand->wtap_encap = wth->file_encap;
    mand->tsprecision = wth->file_tsprec;
    mand->time_units_per_second = ms ? 1000 : 1;
    mand->snap_len = WTAP_MAX_PACKET_SIZE_STANDARD;
    wtap_block_add_uint8_option(idb, OPT_IDB_TSRESOL, ms ? 3 : 0);
    wtap_block_add_string_option(idb, OPT_IDB_NAME, key, len);
    g_array_append_val(wth->interface_data, idb);

    guint32 id = wth->interface_data->len - 1;
    g_hash_table_insert(vf->interfaces, key, GUINT_TO_POINTER(id + 1));
    return id;
}

/* The frame of a record: its bytes from the record builder, its time and interface. */
static void
fill_frame(wtap *wth, wtap_rec *rec, Buffer *buf, const vpcflow_record_t *record)
{
    vpcflow_record_facts_t facts;
    gsize size = vpcflow_record_frame_size(record);

    /* Written at the end of the emptied buffer and counted in its length:
     * 4.6 reads the length, earlier versions only the space. */
    ws_buffer_clean(buf);
    ws_buffer_assure_space(buf, size);
    vpcflow_record_frame_store(ws_buffer_end_ptr(buf), record);
    ws_buffer_increase_length(buf, size);

    vpcshark_rec_setup_packet(rec, wth->file_encap);
    rec->rec_header.packet_header.caplen = (guint32)size;
    rec->rec_header.packet_header.len = (guint32)size;

    vpcflow_record_facts(record, &facts);
    rec->presence_flags = WTAP_HAS_INTERFACE_ID;
    if (facts.has_time) {
        rec->presence_flags |= WTAP_HAS_TS;
        rec->ts.secs = (time_t)facts.secs;
        rec->ts.nsecs = facts.nsecs;
        rec->tsprec = facts.time_in_ms ? WTAP_TSPREC_MSEC : WTAP_TSPREC_SEC;
    }
    rec->rec_header.packet_header.interface_id = interface_for(wth, (vpcflow_t *)wth->priv, facts.where,
                                                               facts.where_length);
}

static vpcshark_bool
vpcflow_read(wtap *wth, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info, gint64 *data_offset)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    vpcflow_record_t record;

    if (!vf->source->ops->next(vf->source, wth->fh, &record, data_offset, err, err_info))
        return FALSE;
    fill_frame(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), &record);
    return TRUE;
}

static vpcshark_bool
vpcflow_seek_read(wtap *wth, gint64 position, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    vpcflow_record_t record;

    if (!vf->source->ops->at(vf->source, wth->random_fh, position, &record, err, err_info))
        return FALSE;
    fill_frame(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), &record);
    return TRUE;
}

/* Free what the reader state holds (not the state itself). */
static void
vpcflow_release(vpcflow_t *vf)
{
    if (vf->source)
        vf->source->ops->free(vf->source);
    format_table_clear(&vf->formats);
    g_hash_table_destroy(vf->interfaces);
}

/* wtap_close() frees priv itself. */
static void
vpcflow_close(wtap *wth)
{
    vpcflow_release((vpcflow_t *)wth->priv);
}

static void
vpcflow_free(vpcflow_t *vf)
{
    vpcflow_release(vf);
    g_free(vf);
}

/*
 * A header line opens the file if it names enough known fields, or if
 * the lines after it have as many columns (so a text file whose first
 * line happens to be "start end" is not taken).
 */
static gboolean
header_is_convincing(const vpcflow_format_t *header, const record_sample_t *sample)
{
    guint known = 0;

    for (guint c = 0; c < header->n_columns; c++)
        known += header->field[c] != VF_UNKNOWN;
    if (known >= HEADER_CONVINCING_NAMES)
        return TRUE;
    return sample->texts->len == 1 ||
           vpcflow_format_matches_lines(header, (const char *const *)sample->texts->pdata + 1,
                                        (const gsize *)(void *)sample->lengths->data + 1,
                                        sample->texts->len - 1);
}

/* The format a user gave for headerless files, if it fits these records. */
static vpcflow_format_t *
configured_format(const record_sample_t *sample)
{
    const char *spec = vpcflow_settings_format();
    char *error = NULL;

    if (!spec || !*spec)
        return NULL;
    vpcflow_format_t *format = vpcflow_format_parse(spec, strlen(spec), &error);
    if (!format) {
        ws_warning("vpcflow: ignoring the format of headerless files (%s): %s", VPCFLOW_SETTINGS_FORMAT_ENV, error);
        g_free(error);
        return NULL;
    }
    if (!vpcflow_format_matches_lines(format, (const char *const *)sample->texts->pdata,
                                      (const gsize *)(void *)sample->lengths->data, sample->texts->len)) {
        vpcflow_format_free(format);
        return NULL;
    }
    return format;
}

/*
 * Decide from the first records whether this is a flow log and with
 * which format its headerless records start. FALSE if it is not ours.
 */
static gboolean
choose_initial_format(vpcflow_t *vf, const record_sample_t *sample)
{
    const char *const *texts = (const char *const *)sample->texts->pdata;
    const gsize *lengths = (const gsize *)(void *)sample->lengths->data;
    guint n = sample->texts->len;

    if (n == 0)
        return sample->claim;

    vpcflow_format_t *header = vpcflow_format_from_header(texts[0], lengths[0]);
    if (header) {
        gboolean convincing = header_is_convincing(header, sample);
        vpcflow_format_free(header);
        return convincing;              /* the source takes the header itself */
    }

    vpcflow_format_t *configured = configured_format(sample);
    if (configured) {
        format_table_add(&vf->formats, 0, configured, VPCFLOW_FORMAT_FROM_CONFIGURED);
        return TRUE;
    }

    const vpcflow_layout_t *layout = vpcflow_layout_detect(texts, lengths, n);
    if (layout) {
        format_table_add(&vf->formats, 0, vpcflow_format_copy(layout->format), VPCFLOW_FORMAT_FROM_DETECTED);
        return TRUE;
    }

    /* Records of a format nobody told us: the dissector asks for it. */
    return vpcflow_lines_look_like_records(texts, lengths, n);
}

static gboolean
is_parquet(wtap *wth)
{
    char magic[PARQUET_MAGIC_LEN];

    return file_read(magic, sizeof magic, wth->fh) == (int)sizeof magic &&
           memcmp(magic, PARQUET_MAGIC, sizeof magic) == 0;
}

/* The first non-blank character of the file (after a byte order mark), or -1. */
static int
first_character(wtap *wth)
{
    guint8 head[64];
    int n = file_read(head, sizeof head, wth->fh);
    int i = 0;

    if (n >= 3 && memcmp(head, utf8_bom, sizeof utf8_bom) == 0)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    return i < n ? head[i] : -1;
}

/*
 * The loader sets these before calling an open routine; if they read
 * differently, our declaration of struct wtap does not match the
 * running Wireshark and touching it would corrupt memory.
 */
static gboolean
wtap_layout_is_sane(const wtap *wth)
{
    return wth->fh != NULL && wth->pathname != NULL && wth->priv == NULL &&
           wth->file_encap == WTAP_ENCAP_UNKNOWN && wth->file_tsprec == WTAP_TSPREC_USEC;
}

static wtap_open_return_val
vpcflow_open(wtap *wth, int *err, gchar **err_info)
{
    if (!wtap_layout_is_sane(wth)) {
        ws_warning("vpcflow: struct wtap as declared for Wireshark %d.%d does not match the running "
                   "library; flow-log reading is disabled. Rebuild the plugin against this Wireshark.",
                   WIRESHARK_VERSION_MAJOR, WIRESHARK_VERSION_MINOR);
        return WTAP_OPEN_NOT_MINE;
    }

    gboolean parquet = is_parquet(wth);
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1)
        return WTAP_OPEN_ERROR;
    int first = parquet ? -1 : first_character(wth);
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1)
        return WTAP_OPEN_ERROR;

    /* The shape decides the source: Parquet starts with "PAR1", JSON documents with { or [,
     * a CSV result with a header of flow-log columns; anything else is text. */
    vpcflow_t *vf = g_new0(vpcflow_t, 1);
    format_table_init(&vf->formats);
    vf->interfaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean text_shape = !parquet && first != '{' && first != '[';
    if (parquet)
        vf->source = parquet_source_new();
    else if (!text_shape)
        vf->source = cloudwatch_source_new(&vf->formats);
    else
        vf->source = csv_source_new(&vf->formats);

    record_sample_t sample;
    record_sample_init(&sample);
    gboolean sampled = vf->source->ops->sample(vf->source, wth->fh, &sample, err, err_info);
    if (!sampled && *err == 0 && text_shape) {
        /* Not a CSV result: read it as text lines. */
        vf->source->ops->free(vf->source);
        vf->source = text_source_new(&vf->formats);
        if (file_seek(wth->fh, 0, SEEK_SET, err) == -1) {
            vpcflow_free(vf);
            return WTAP_OPEN_ERROR;
        }
        sampled = vf->source->ops->sample(vf->source, wth->fh, &sample, err, err_info);
    }
    wtap_open_return_val verdict = WTAP_OPEN_NOT_MINE;
    if (!sampled) {
        verdict = *err != 0 ? WTAP_OPEN_ERROR : WTAP_OPEN_NOT_MINE;
    } else if (sample.refusal) {
        *err = WTAP_ERR_UNSUPPORTED;
        *err_info = g_steal_pointer(&sample.refusal);
        verdict = WTAP_OPEN_ERROR;
    } else if (choose_initial_format(vf, &sample)) {
        verdict = file_seek(wth->fh, 0, SEEK_SET, err) == -1 ? WTAP_OPEN_ERROR : WTAP_OPEN_MINE;
    }
    record_sample_clear(&sample);
    if (verdict != WTAP_OPEN_MINE) {
        vpcflow_free(vf);
        return verdict;
    }
    vf->source->ops->restart(vf->source);

    wth->priv = vf;
    wth->file_type_subtype = vpcflow_file_type_subtype;
    wth->file_encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
    /* CloudWatch event times have milliseconds; records' start only seconds. */
    wth->file_tsprec = vf->source->time_in_ms ? WTAP_TSPREC_MSEC : WTAP_TSPREC_SEC;
    wth->snapshot_length = 0;
    wth->subtype_read = vpcflow_read;
    wth->subtype_seek_read = vpcflow_seek_read;
    wth->subtype_close = vpcflow_close;
    wtap_add_generated_idb(wth);
    return WTAP_OPEN_MINE;
}

static const struct supported_block_type vpcflow_blocks_supported[] = {
    /* One flow record per packet block, no options of our own. */
    { WTAP_BLOCK_PACKET, MULTIPLE_BLOCKS_SUPPORTED, NO_OPTIONS_SUPPORTED }
};

static const struct file_type_subtype_info vpcflow_info = {
    VPCFLOW_FILE_TYPE_DESCRIPTION, VPCFLOW_FILE_TYPE_NAME, "log", "log.gz;txt;parquet;csv;csv.gz",
    FALSE, BLOCKS_SUPPORTED(vpcflow_blocks_supported),
    vpcflow_dump_can_write_encap, vpcflow_dump_open, NULL
};

void
wtap_register_vpcflow(void)
{
    /* Tried before the stock heuristic readers: the VWR and JSON readers
     * would otherwise take (and then fail on) flow-log text. */
    struct open_info open_info = {
        VPCFLOW_FILE_TYPE_NAME, OPEN_INFO_HEURISTIC, vpcflow_open, "log;txt;json;gz;parquet;csv", NULL, NULL
    };

    vpcflow_file_type_subtype = wtap_register_file_type_subtype(&vpcflow_info);
    wtap_register_open_info(&open_info, TRUE);
}
