/* mirror-decap.c
 * tshark -z "mirror,decap,FILE[,FILTER]": the mirrored frames alone,
 * decapsulated (the Ethernet frame that followed the VXLAN header), as a
 * pcapng file any tool reads (tcpdump, Zeek, Suricata), each with a
 * packet comment naming its session, VNI and direction. A copy cut by
 * mirroring keeps its original length as the frame length, the way a
 * snap length would. FILTER is a display filter, for instance
 * !mirror.duplicate to leave out second copies. Wireshark takes the same
 * -z option (it writes the file at each re-read of the packets).
 *
 * Wireshark's Export PDUs (File menu, tshark -U "Traffic Mirror inner
 * frames", see packet-mirror.c) writes the same frames, but Wireshark
 * 4.0 hands an export tap no packet options, so it cannot name the
 * session; this writer can.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-mirror.h"

#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

typedef struct {
    wtap_dumper *pdh;
    char *path;
    gboolean restart; /* empty the file before the next packet */
} decap_t;

/* what: "create", "write", "finish writing"; takes err_info. */
static void
report_file_failure(const decap_t *decap, const char *what, int err, gchar *err_info)
{
    report_failure("Traffic Mirror: could not %s %s: %s%s%s", what, decap->path, wtap_strerror(err),
                   err_info != NULL ? ": " : "", err_info != NULL ? err_info : "");
    g_free(err_info);
}

static void
decap_close(decap_t *decap)
{
    int err = 0;
    gchar *err_info = NULL;

    if (decap->pdh == NULL) {
        return;
    }
    if (!wtap_dump_close(decap->pdh, NULL, &err, &err_info)) {
        report_file_failure(decap, "finish writing", err, err_info);
    }
    decap->pdh = NULL;
}

/* Create (or empty) the output file. */
static gboolean
decap_open(decap_t *decap)
{
    wtap_dump_params params = WTAP_DUMP_PARAMS_INIT;
    int err = 0;
    gchar *err_info = NULL;

    params.encap = WTAP_ENCAP_ETHERNET;
    params.snaplen = WTAP_MAX_PACKET_SIZE_STANDARD;
    params.tsprec = WTAP_TSPREC_NSEC;
    decap->pdh = wtap_dump_open(decap->path, wtap_pcapng_file_type_subtype(), WTAP_UNCOMPRESSED, &params, &err,
                                &err_info);
    if (decap->pdh == NULL) {
        report_file_failure(decap, "create", err, err_info);
        return FALSE;
    }
    return TRUE;
}

static tap_packet_status
decap_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    decap_t *decap = (decap_t *)tapdata;
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)data;
    const char *dir;
    char *comment;
    guint32 caplen;
    guint8 *bytes;
    int err = 0;
    gchar *err_info = NULL;

    if (info->direct || info->frame_tvb == NULL) {
        return TAP_PACKET_DONT_REDRAW;
    }
    if (decap->restart) {
        decap->restart = FALSE;
        decap_close(decap);
        if (!decap_open(decap)) {
            return TAP_PACKET_FAILED;
        }
    }
    if (decap->pdh == NULL) {
        return TAP_PACKET_DONT_REDRAW;
    }
    dir = mirror_direction_name(info->direction);
    if (info->session != NULL) {
        comment = wmem_strdup_printf(pinfo->pool, "Traffic Mirror session %s (VNI %u%s%s%s%s)%s%s", info->session,
                                     info->vni, info->session_id != NULL ? ", " : "",
                                     info->session_id != NULL ? info->session_id : "", dir != NULL ? ", " : "",
                                     dir != NULL ? dir : "", info->truncated ? ", cut by mirroring" : "",
                                     info->duplicate ? ", duplicate copy" : "");
    } else {
        comment = wmem_strdup_printf(pinfo->pool, "Traffic Mirror VNI %u (not in the session table%s%s)%s%s",
                                     info->vni, dir != NULL ? ", " : "", dir != NULL ? dir : "",
                                     info->truncated ? ", cut by mirroring" : "",
                                     info->duplicate ? ", duplicate copy" : "");
    }
    caplen = tvb_captured_length(info->frame_tvb);
    bytes = (guint8 *)tvb_memdup(pinfo->pool, info->frame_tvb, 0, caplen);
    if (!vpcshark_dump_packet(decap->pdh, &pinfo->abs_ts, WTAP_ENCAP_ETHERNET, bytes, caplen,
                              tvb_reported_length(info->frame_tvb), comment, &err, &err_info)) {
        report_file_failure(decap, "write", err, err_info);
        decap_close(decap);
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_DONT_REDRAW;
}

/* Wireshark runs every tap again whenever it re-reads the packets (a
 * reload, another file, a dialog that retaps), and tshark resets its taps
 * once it is done: the file is started again at the first packet after a
 * reset, so it holds the last pass and a reset with no pass after it
 * loses nothing. */
static void
decap_reset(void *tapdata)
{
    ((decap_t *)tapdata)->restart = TRUE;
}

/* Called once at the end by tshark and now and then while Wireshark
 * reads: keep the file whole on disk; it is closed when the tap goes. */
static void
decap_draw(void *tapdata)
{
    decap_t *decap = (decap_t *)tapdata;
    int err = 0;

    if (decap->pdh != NULL && !wtap_dump_flush(decap->pdh, &err)) {
        report_file_failure(decap, "write", err, NULL);
        decap_close(decap);
    }
}

static void
decap_finish(void *tapdata)
{
    decap_t *decap = (decap_t *)tapdata;

    decap_close(decap);
    g_free(decap->path);
    g_free(decap);
}

/* opt_arg: "mirror,decap,FILE" or "mirror,decap,FILE,FILTER". */
static vpcshark_stat_init_ret
decap_init(const char *opt_arg, void *userdata _U_)
{
    gchar **parts = g_strsplit(opt_arg, ",", 4);
    decap_t *decap;
    GString *error;
    gboolean ok;

    if (g_strv_length(parts) < 3 || parts[2][0] == '\0') {
        report_failure("Traffic Mirror: -z mirror,decap needs a file name: -z mirror,decap,FILE[,FILTER]");
        g_strfreev(parts);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    decap = g_new0(decap_t, 1);
    decap->path = g_strdup(parts[2]);
    if (!decap_open(decap)) {
        g_free(decap->path);
        g_free(decap);
        g_strfreev(parts);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    error = register_tap_listener("mirror", decap, parts[3], TL_REQUIRES_NOTHING, decap_reset, decap_packet, decap_draw,
                                  decap_finish);
    ok = error == NULL;
    if (!ok) {
        report_failure("Traffic Mirror: -z mirror,decap: %s", error->str);
        g_string_free(error, TRUE);
        decap_close(decap);
        g_free(decap->path);
        g_free(decap);
    }
    g_strfreev(parts);
    VPCSHARK_STAT_INIT_DONE(ok);
}

void
mirror_decap_register(void)
{
    static stat_tap_ui decap_ui = {
        REGISTER_PACKET_ANALYZE_GROUP_UNSORTED,
        "Traffic Mirror inner frames",
        "mirror,decap",
        decap_init,
        0,
        NULL
    };

    register_stat_tap_ui(&decap_ui, NULL);
}
