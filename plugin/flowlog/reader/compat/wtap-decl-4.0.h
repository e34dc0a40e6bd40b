/* wtap-decl-4.0.h
 * Our declarations of the wiretap internals a file-format plugin uses,
 * for Wireshark 4.0.x, whose development package does not install
 * wiretap/wtap-int.h.
 *
 * Written from the member list of struct wtap and struct wtap_dumper in
 * Wireshark 4.0; the order and types must match that release exactly.
 * tests/test_wtap_layout.py compares every offset with the real
 * 4.0.17 header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_WTAP_DECL_4_0_H
#define VPCSHARK_WTAP_DECL_4_0_H

#ifndef VPCSHARK_WTAP_STRUCT
#define VPCSHARK_WTAP_STRUCT wtap
#endif
#ifndef VPCSHARK_WTAP_DUMPER_STRUCT
#define VPCSHARK_WTAP_DUMPER_STRUCT wtap_dumper
#endif

struct VPCSHARK_WTAP_STRUCT {
    FILE_T          fh;                 /* sequential reads */
    FILE_T          random_fh;          /* random access, NULL for pipes */
    gboolean        ispipe;
    int             file_type_subtype;
    guint           snapshot_length;
    GArray         *shb_hdrs;
    GArray         *interface_data;     /* IDBs (wtap_block_t) */
    guint           next_interface_data;
    GArray         *nrb_hdrs;
    GArray         *dsbs;
    char           *pathname;
    void           *priv;               /* reader state, g_free'd by wtap_close() */
    void           *wslua_data;
    gboolean      (*subtype_read)(struct wtap *, wtap_rec *, Buffer *, int *, gchar **, gint64 *);
    gboolean      (*subtype_seek_read)(struct wtap *, gint64, wtap_rec *, Buffer *, int *, gchar **);
    void          (*subtype_sequential_close)(struct wtap *);
    void          (*subtype_close)(struct wtap *);
    int             file_encap;
    int             file_tsprec;
    wtap_new_ipv4_callback_t    add_new_ipv4;
    wtap_new_ipv6_callback_t    add_new_ipv6;
    wtap_new_secrets_callback_t add_new_secrets;
    GPtrArray      *fast_seek;
};

struct VPCSHARK_WTAP_DUMPER_STRUCT {
    void           *fh;
    int             file_type_subtype;
    int             snaplen;
    int             encap;
    wtap_compression_type compression_type;
    gboolean        needs_reload;
    gint64          bytes_dumped;
    void           *priv;               /* writer state, g_free'd by wtap_dump_close() */
    void           *wslua_data;
    gboolean      (*subtype_add_idb)(struct wtap_dumper *, wtap_block_t, int *, gchar **);
    gboolean      (*subtype_write)(struct wtap_dumper *, const wtap_rec *, const guint8 *, int *, gchar **);
    gboolean      (*subtype_finish)(struct wtap_dumper *, int *, gchar **);
    addrinfo_lists_t *addrinfo_lists;
    GArray         *shb_hdrs;
    GArray         *nrb_hdrs;
    GArray         *interface_data;
    GArray         *dsbs_initial;
    const GArray   *dsbs_growing;
    guint           dsbs_growing_written;
};

#ifndef VPCSHARK_DECLARATIONS_ONLY
/* Exported by libwiretap 4.0, declared only in headers it does not install. */
WS_DLL_PUBLIC void wtap_add_generated_idb(wtap *wth);
WS_DLL_PUBLIC gboolean wtap_dump_file_write(wtap_dumper *wdh, const void *buf, size_t bufsize, int *err);
WS_DLL_PUBLIC gint64 file_seek(FILE_T stream, gint64 offset, int whence, int *err);
WS_DLL_PUBLIC gint64 file_tell(FILE_T stream);
WS_DLL_PUBLIC char *file_getsp(char *buf, int len, FILE_T stream);
WS_DLL_PUBLIC int file_read(void *buf, unsigned int count, FILE_T file);
WS_DLL_PUBLIC int file_error(FILE_T fh, gchar **err_info);
WS_DLL_PUBLIC gboolean file_iscompressed(FILE_T stream);
#endif

#endif /* VPCSHARK_WTAP_DECL_4_0_H */
