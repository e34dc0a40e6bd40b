/* wtap-decl-4.4.h
 * Our declarations of the wiretap internals a file-format plugin uses,
 * for Wireshark 4.4.x, whose development package does not install
 * wiretap/wtap-int.h.
 *
 * Against 4.0: C99 types, shb_iface_to_global after shb_hdrs, nrb_hdrs
 * renamed nrbs, meta_events after dsbs; the dumper's encap became
 * file_encap and gained the "growing" NRB and meta-event arrays.
 * Written from a 4.4-series wtap-int.h; not yet compared with a 4.4
 * build here (no 4.4 source package is reachable), so the reader also
 * checks at open time that the members it reads hold what the loader
 * put there. Building with -DWIRESHARK_SOURCE_DIR avoids the question.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_WTAP_DECL_4_4_H
#define VPCSHARK_WTAP_DECL_4_4_H

#ifndef VPCSHARK_WTAP_STRUCT
#define VPCSHARK_WTAP_STRUCT wtap
#endif
#ifndef VPCSHARK_WTAP_DUMPER_STRUCT
#define VPCSHARK_WTAP_DUMPER_STRUCT wtap_dumper
#endif

struct VPCSHARK_WTAP_STRUCT {
    FILE_T          fh;
    FILE_T          random_fh;
    bool            ispipe;
    int             file_type_subtype;
    unsigned        snapshot_length;
    GArray         *shb_hdrs;
    GArray         *shb_iface_to_global;
    GArray         *interface_data;
    unsigned        next_interface_data;
    GArray         *nrbs;
    GArray         *dsbs;
    GArray         *meta_events;
    char           *pathname;
    void           *priv;
    void           *wslua_data;
    bool          (*subtype_read)(struct wtap *, wtap_rec *, Buffer *, int *, char **, int64_t *);
    bool          (*subtype_seek_read)(struct wtap *, int64_t, wtap_rec *, Buffer *, int *, char **);
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
    int             file_encap;
    wtap_compression_type compression_type;
    bool            needs_reload;
    int64_t         bytes_dumped;
    void           *priv;
    void           *wslua_data;
    bool          (*subtype_add_idb)(struct wtap_dumper *, wtap_block_t, int *, char **);
    bool          (*subtype_write)(struct wtap_dumper *, const wtap_rec *, const uint8_t *, int *, char **);
    bool          (*subtype_finish)(struct wtap_dumper *, int *, char **);
    addrinfo_lists_t *addrinfo_lists;
    GArray         *shb_hdrs;
    const GArray   *shb_iface_to_global;
    GArray         *interface_data;
    GArray         *dsbs_initial;
    const GArray   *nrbs_growing;
    const GArray   *dsbs_growing;
    const GArray   *mevs_growing;
    unsigned        nrbs_growing_written;
    unsigned        dsbs_growing_written;
    unsigned        mevs_growing_written;
};

#ifndef VPCSHARK_DECLARATIONS_ONLY
WS_DLL_PUBLIC void wtap_add_generated_idb(wtap *wth);
WS_DLL_PUBLIC bool wtap_dump_file_write(wtap_dumper *wdh, const void *buf, size_t bufsize, int *err);
WS_DLL_PUBLIC int64_t file_seek(FILE_T stream, int64_t offset, int whence, int *err);
WS_DLL_PUBLIC int64_t file_tell(FILE_T stream);
WS_DLL_PUBLIC char *file_getsp(char *buf, int len, FILE_T stream);
WS_DLL_PUBLIC int file_read(void *buf, unsigned int count, FILE_T file);
WS_DLL_PUBLIC int file_error(FILE_T fh, char **err_info);
WS_DLL_PUBLIC bool file_iscompressed(FILE_T stream);
#endif

#endif /* VPCSHARK_WTAP_DECL_4_4_H */
