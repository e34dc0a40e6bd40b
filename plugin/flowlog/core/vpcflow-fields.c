/* vpcflow-fields.c
 * The catalogue of AWS VPC and Transit Gateway flow-log fields (the list
 * is vpcflow-fields.def), and looking fields up by name and by shape.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <string.h>

#define VPC  VF_IN_VPC
#define TGW  VF_IN_TGW
#define BOTH (VF_IN_VPC | VF_IN_TGW)

const vpcflow_field_t vpcflow_fields[] = {
#define VF_FIELD(id, name, label, version, in, type, shape, arg, vals, blurb) \
    { name, label, version, in, VF_TYPE_##type, VF_SHAPE_##shape, arg, VF_VALS_##vals, blurb },
#include "vpcflow-fields.def"
#undef VF_FIELD
};

const guint vpcflow_field_count = G_N_ELEMENTS(vpcflow_fields);
G_STATIC_ASSERT(G_N_ELEMENTS(vpcflow_fields) == VF_FIELD_COUNT);

/* Logs Insights names that are not a respelling of the AWS name. */
static const struct {
    const char *alias;
    int         field;
} name_aliases[] = {
    { "starttime", VF_START },
    { "endtime", VF_END },
};

/* Longest accepted field name; AWS names are at most 27 characters. */
#define NAME_MAX_LEN 64

/* Lower-case and drop '-' and '_' so all spellings compare equal. */
static gsize
normalize_name(const char *name, gsize len, char *out)
{
    gsize n = 0;

    for (gsize i = 0; i < len; i++) {
        char c = name[i];
        if (c == '-' || c == '_')
            continue;
        out[n++] = g_ascii_tolower(c);
    }
    out[n] = '\0';
    return n;
}

int
vpcflow_field_lookup(const char *name, gsize len)
{
    char wanted[NAME_MAX_LEN + 1];
    char candidate[NAME_MAX_LEN + 1];

    if (len == 0 || len > NAME_MAX_LEN)
        return VF_UNKNOWN;
    /* Only name characters: a value like "10.0.0.1" must never match. */
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isalnum(name[i]) && name[i] != '-' && name[i] != '_')
            return VF_UNKNOWN;
    }
    normalize_name(name, len, wanted);

    for (guint i = 0; i < vpcflow_field_count; i++) {
        normalize_name(vpcflow_fields[i].name, strlen(vpcflow_fields[i].name), candidate);
        if (strcmp(wanted, candidate) == 0)
            return (int)i;
    }
    for (guint i = 0; i < G_N_ELEMENTS(name_aliases); i++) {
        if (strcmp(wanted, name_aliases[i].alias) == 0)
            return name_aliases[i].field;
    }
    return VF_UNKNOWN;
}

static gboolean
all_digits(const char *tok, gsize len)
{
    if (len == 0)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isdigit(tok[i]))
            return FALSE;
    }
    return TRUE;
}

static gboolean
fits_uint_max(const char *tok, gsize len, guint64 max)
{
    guint64 v;
    return vpcflow_parse_uint64(tok, len, &v) && v <= max;
}

static gboolean
fits_enum(const char *tok, gsize len, const char *words)
{
    const char *w = words;

    while (*w) {
        const char *bar = strchr(w, '|');
        gsize wlen = bar ? (gsize)(bar - w) : strlen(w);
        if (wlen == len && memcmp(w, tok, len) == 0)
            return TRUE;
        if (!bar)
            break;
        w = bar + 1;
    }
    return FALSE;
}

/*
 * A region name of any AWS partition: a 2 to 4 letter prefix, one or more
 * lower-case labels, a number: us-east-1, mx-central-1 (aws), cn-north-1
 * (aws-cn), us-gov-west-1 (aws-us-gov), us-iso-east-1, us-isob-east-1,
 * eu-isoe-west-1, us-isof-south-1 (ISO partitions), eusc-de-east-1 (AWS
 * European Sovereign Cloud). The partitions' own patterns are in the AWS
 * SDKs' partitions.json (regionRegex); see docs/aws-facts.md.
 */
static gboolean
fits_region(const char *tok, gsize len)
{
    gsize i = 0, labels = 0;

    while (i < len && g_ascii_islower(tok[i]))
        i++;
    if (i < 2 || i > 4)
        return FALSE;
    /* then "-label" parts; the last one is the number */
    while (i < len) {
        gsize start;
        if (tok[i] != '-')
            return FALSE;
        start = ++i;
        while (i < len && (g_ascii_islower(tok[i]) || g_ascii_isdigit(tok[i])))
            i++;
        if (i == start)
            return FALSE;
        labels++;
        if (i == len) {
            for (gsize j = start; j < len; j++) {
                if (!g_ascii_isdigit(tok[j]))
                    return FALSE;
            }
            return labels >= 2;
        }
        if (!g_ascii_islower(tok[start]))
            return FALSE;
    }
    return FALSE;
}

/* An AZ ID: use1-az4, apne2-az1, usgw1-az1 (GovCloud), cnn1-az1 (China);
 * a Local Zone's: usw2-lax1-az1. Ends in "-az" and a number. */
static gboolean
fits_az(const char *tok, gsize len)
{
    gsize i = len;

    for (gsize j = 0; j < len; j++) {
        if (!g_ascii_islower(tok[j]) && !g_ascii_isdigit(tok[j]) && tok[j] != '-')
            return FALSE;
    }
    while (i > 0 && g_ascii_isdigit(tok[i - 1]))
        i--;
    return i < len && i >= 5 && memcmp(tok + i - 3, "-az", 3) == 0;
}

static gboolean
fits_service(const char *tok, gsize len)
{
    gboolean letter = FALSE;

    for (gsize i = 0; i < len; i++) {
        if (g_ascii_isupper(tok[i]))
            letter = TRUE;
        else if (!g_ascii_isdigit(tok[i]) && tok[i] != '_')
            return FALSE;
    }
    return letter;
}

gboolean
vpcflow_field_fits(int field, const char *tok, gsize len)
{
    guint8 addr[16];

    if (field < 0 || (guint)field >= vpcflow_field_count || len == 0)
        return FALSE;
    const vpcflow_field_t *f = &vpcflow_fields[field];

    switch (f->shape) {
    case VF_SHAPE_ANY:
        return TRUE;
    case VF_SHAPE_UINT:
        return all_digits(tok, len);
    case VF_SHAPE_SMALL:
        return fits_uint_max(tok, len, 255);
    case VF_SHAPE_PORT:
        return fits_uint_max(tok, len, 65535);
    case VF_SHAPE_EPOCH:
        return len >= 9 && len <= 13 && all_digits(tok, len);
    case VF_SHAPE_ADDR:
        return vpcflow_parse_ipv4(tok, len, addr) || vpcflow_parse_ipv6(tok, len, addr);
    case VF_SHAPE_ACCOUNT:
        return (len <= 12 && all_digits(tok, len)) || (len == 7 && memcmp(tok, "unknown", 7) == 0);
    case VF_SHAPE_PREFIX: {
        gsize plen = strlen(f->shape_arg);
        return len > plen && memcmp(tok, f->shape_arg, plen) == 0;
    }
    case VF_SHAPE_ENUM:
        return fits_enum(tok, len, f->shape_arg);
    case VF_SHAPE_REGION:
        return fits_region(tok, len);
    case VF_SHAPE_AZ:
        return fits_az(tok, len);
    case VF_SHAPE_SERVICE:
        return fits_service(tok, len);
    }
    return FALSE;
}

guint
vpcflow_field_shape_weight(int field)
{
    if (field < 0 || (guint)field >= vpcflow_field_count)
        return 0;
    switch (vpcflow_fields[field].shape) {
    case VF_SHAPE_ANY:
        return 0;
    case VF_SHAPE_UINT:
    case VF_SHAPE_SMALL:
    case VF_SHAPE_PORT:
    case VF_SHAPE_ACCOUNT:
    case VF_SHAPE_SERVICE:
        return 1;
    case VF_SHAPE_EPOCH:
        return 2;
    case VF_SHAPE_ADDR:
    case VF_SHAPE_PREFIX:
    case VF_SHAPE_ENUM:
    case VF_SHAPE_REGION:
    case VF_SHAPE_AZ:
        return 3;
    }
    return 0;
}

void
vpcflow_tcp_flags_names(guint32 value, char *buf, gsize size)
{
    static const struct {
        guint32     bits;
        const char *name;
    } names[] = {
        { VPCFLOW_TCP_SYN_ACK, "SYN-ACK" },
        { VPCFLOW_TCP_SYN, "SYN" },
        { VPCFLOW_TCP_FIN, "FIN" },
        { VPCFLOW_TCP_RST, "RST" },
        { VPCFLOW_TCP_PSH, "PSH" },
        { VPCFLOW_TCP_ACK, "ACK" },
        { VPCFLOW_TCP_URG, "URG" },
        { 0x40, "0x40" },
        { 0x80, "0x80" },
    };
    guint32 left = value & 0xff;

    if (size == 0)
        return;
    buf[0] = '\0';
    if (left == 0) {
        g_strlcpy(buf, "none", size);
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        if ((left & names[i].bits) != names[i].bits)
            continue;
        left &= ~names[i].bits;
        if (buf[0] != '\0')
            g_strlcat(buf, " + ", size);
        g_strlcat(buf, names[i].name, size);
    }
}

guint32
vpcflow_tcp_flags_unrecorded(guint32 value, gboolean tgw)
{
    guint32 listed = VPCFLOW_TCP_FIN | VPCFLOW_TCP_SYN | VPCFLOW_TCP_RST | VPCFLOW_TCP_ACK;
    guint32 odd;

    if (tgw)
        listed |= VPCFLOW_TCP_PSH | VPCFLOW_TCP_URG;
    odd = value & ~listed;
    if ((value & VPCFLOW_TCP_ACK) && (tgw ? value == VPCFLOW_TCP_ACK : !(value & VPCFLOW_TCP_SYN)))
        odd |= VPCFLOW_TCP_ACK;
    return odd;
}
