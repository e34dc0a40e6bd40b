/* vpcflow-fields.h
 * The catalogue of AWS VPC and Transit Gateway flow-log fields.
 *
 * One table serves the reader (timestamps, layout detection), the
 * dissector (one filterable field per entry) and the writer. Adding a
 * field AWS publishes is one line in vpcflow-fields.c.
 *
 * Field list: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * and https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_FIELDS_H
#define VPCFLOW_FIELDS_H

#include <glib.h>

/* How a value is typed once decoded (the dissector maps these to FT_ types). */
typedef enum {
    VF_TYPE_STRING,     /* kept as text */
    VF_TYPE_UINT,       /* small unsigned integer (version, codes) */
    VF_TYPE_PORT,       /* 0..65535 */
    VF_TYPE_PROTOCOL,   /* IANA protocol number 0..255 */
    VF_TYPE_COUNT,      /* 64-bit counter (packets, bytes) */
    VF_TYPE_TIME,       /* Unix seconds (milliseconds tolerated) */
    VF_TYPE_ADDR,       /* IPv4 or IPv6 address */
    VF_TYPE_TCP_FLAGS   /* OR of the TCP flags seen in the interval */
} vpcflow_type_t;

/* What a value looks like, used to recognise headerless layouts. */
typedef enum {
    VF_SHAPE_ANY,       /* any non-blank token */
    VF_SHAPE_UINT,      /* decimal digits */
    VF_SHAPE_SMALL,     /* decimal 0..255 */
    VF_SHAPE_PORT,      /* decimal 0..65535 */
    VF_SHAPE_EPOCH,     /* 9 to 13 decimal digits: Unix seconds or ms */
    VF_SHAPE_ADDR,      /* IPv4 or IPv6 literal */
    VF_SHAPE_ACCOUNT,   /* 1..12 digits, or "unknown" */
    VF_SHAPE_PREFIX,    /* begins with arg ("eni-"), something after it */
    VF_SHAPE_ENUM,      /* one of the '|'-separated words in arg */
    VF_SHAPE_REGION,    /* us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1: any partition */
    VF_SHAPE_AZ,        /* use1-az4, apne2-az1 */
    VF_SHAPE_SERVICE    /* AMAZON, ROUTE53_HEALTHCHECKS: upper case and '_' */
} vpcflow_shape_t;

/* How the dissector explains a numeric value. */
typedef enum {
    VF_VALS_NONE,
    VF_VALS_TRAFFIC_PATH,
    VF_VALS_ENCRYPTION_STATUS
} vpcflow_vals_t;

/* Which flow-log kind has the field. */
#define VF_IN_VPC   0x01
#define VF_IN_TGW   0x02

typedef struct {
    const char     *name;       /* AWS name, as in a header line: "pkt-srcaddr" */
    const char     *label;      /* human label: "Packet source address" */
    guint8          version;    /* flow-log version that introduced it */
    guint8          in;         /* VF_IN_VPC | VF_IN_TGW */
    vpcflow_type_t  type;
    vpcflow_shape_t shape;
    const char     *shape_arg;  /* prefix or enum words for the shape */
    vpcflow_vals_t  vals;
    const char     *blurb;      /* one-line explanation, or NULL */
} vpcflow_field_t;

/* Every field's id: its index in the table (vpcflow-fields.def). */
typedef enum {
#define VF_FIELD(id, name, label, version, in, type, shape, arg, vals, blurb) VF_##id,
#include "vpcflow-fields.def"
#undef VF_FIELD
    VF_FIELD_COUNT
} vpcflow_field_id_t;

/* Marks a column whose header name is not in the catalogue. */
#define VF_UNKNOWN (-1)

extern const vpcflow_field_t vpcflow_fields[];
extern const guint vpcflow_field_count;

/*
 * Look a field up by name. Accepts the AWS spelling (log-status), the
 * underscore spelling used by Athena and Vector (log_status) and the
 * camelCase of Logs Insights (logStatus, srcAddr, startTime, endTime).
 * Returns the index or VF_UNKNOWN.
 */
int vpcflow_field_lookup(const char *name, gsize len);

/* TRUE if token (not "-") has the shape the field's values have. */
gboolean vpcflow_field_fits(int field, const char *token, gsize len);

/* How much a match says about a layout: 0 for shapeless fields. */
guint vpcflow_field_shape_weight(int field);

/*
 * tcp-flags bits. A VPC flow log records FIN, SYN, RST and SYN-ACK (the
 * SYN and ACK bits, 18), ORed over the interval: ACK is recorded only as
 * part of SYN-ACK, PSH and URG not at all, and an invalid combination is
 * written "-". The Transit Gateway page also lists PSH 8, ACK 16 and URG
 * 32 (and says an ACK-only flow reports 0).
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html
 */
#define VPCFLOW_TCP_FIN     0x01
#define VPCFLOW_TCP_SYN     0x02
#define VPCFLOW_TCP_RST     0x04
#define VPCFLOW_TCP_PSH     0x08
#define VPCFLOW_TCP_ACK     0x10
#define VPCFLOW_TCP_URG     0x20
#define VPCFLOW_TCP_SYN_ACK (VPCFLOW_TCP_SYN | VPCFLOW_TCP_ACK)

/* Room vpcflow_tcp_flags_names needs for any 8-bit value. */
#define VPCFLOW_TCP_NAMES_LEN 64

/*
 * Names the flags of a tcp-flags value, joined by " + ": "SYN-ACK + FIN"
 * for 19, "SYN + FIN" for 3, "none" for 0. Both SYN-ACK bits read as
 * SYN-ACK (a bare SYN in the same interval cannot be told apart); bits
 * past URG are named by value ("0x40"). buf has VPCFLOW_TCP_NAMES_LEN bytes.
 */
void vpcflow_tcp_flags_names(guint32 value, char *buf, gsize size);

/*
 * The bits of a tcp-flags value that AWS's documentation gives no place
 * in this kind of flow log (tgw: a Transit Gateway record); 0 when the
 * value is one AWS can write. ACK without SYN counts in both: a VPC log
 * records ACK only within SYN-ACK, and the Transit Gateway page says a
 * flow of ACKs alone reports 0.
 */
guint32 vpcflow_tcp_flags_unrecorded(guint32 value, gboolean tgw);

#endif /* VPCFLOW_FIELDS_H */
