/* test-vpcflow-lib.c
 * Unit tests of the flow-log part of the internal library: tokenizer,
 * value parsing, field catalogue, formats and layout detection, frame
 * envelope. Expected values are worked out by hand from the AWS docs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "vpcflow-fields.h"
#include "vpcflow-format.h"
#include "vpcflow-frame.h"
#include "vpcflow-record.h"
#include "vpcflow-tokens.h"

#define DEFAULT_V2 "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"

static guint
count_tokens(const char *line)
{
    return vpcflow_tokenize(line, strlen(line), NULL, 0);
}

static void
test_tokenize_runs_of_blanks(void)
{
    const char *line = "  a\tbb   ccc \r\n";
    vpcflow_token_t t[8];

    g_assert_cmpuint(vpcflow_tokenize(line, strlen(line), t, 8), ==, 3);
    g_assert_cmpuint(t[0].offset, ==, 2);
    g_assert_cmpuint(t[0].length, ==, 1);
    g_assert_cmpuint(t[1].offset, ==, 4);
    g_assert_cmpuint(t[1].length, ==, 2);
    g_assert_cmpuint(t[2].offset, ==, 9);
    g_assert_cmpuint(t[2].length, ==, 3);
}

static void
test_tokenize_counts_past_max(void)
{
    vpcflow_token_t t[2];

    g_assert_cmpuint(vpcflow_tokenize("a b c d", 7, t, 2), ==, 4);
    g_assert_cmpuint(t[1].offset, ==, 2);
    g_assert_cmpuint(count_tokens(""), ==, 0);
    g_assert_cmpuint(count_tokens(" \t \r\n"), ==, 0);
    g_assert_cmpuint(count_tokens(DEFAULT_V2), ==, 14);
}

static void
test_parse_uint64(void)
{
    guint64 v;

    g_assert_true(vpcflow_parse_uint64("0", 1, &v) && v == 0);
    g_assert_true(vpcflow_parse_uint64("18446744073709551615", 20, &v) && v == G_MAXUINT64);
    g_assert_false(vpcflow_parse_uint64("18446744073709551616", 20, &v));   /* 2^64 */
    g_assert_false(vpcflow_parse_uint64("-1", 2, &v));
    g_assert_false(vpcflow_parse_uint64("12a", 3, &v));
    g_assert_false(vpcflow_parse_uint64("", 0, &v));
    /* The length bounds the token: "123" followed by junk outside it. */
    g_assert_true(vpcflow_parse_uint64("123x", 3, &v) && v == 123);
}

static void
test_parse_addresses(void)
{
    guint8 a[16];
    static const guint8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0xa1, 0x00,
                                   0x8d, 0x6e, 0x34, 0x77, 0xdf, 0x66, 0xf1, 0x05 };

    g_assert_true(vpcflow_parse_ipv4("172.31.16.139", 13, a));
    g_assert_cmpuint(a[0], ==, 172);
    g_assert_cmpuint(a[3], ==, 139);
    g_assert_false(vpcflow_parse_ipv4("172.31.16.256", 13, a));
    g_assert_false(vpcflow_parse_ipv4("172.31.16", 9, a));
    g_assert_true(vpcflow_parse_ipv6("2001:db8:1234:a100:8d6e:3477:df66:f105", 38, a));
    g_assert_cmpmem(a, 16, v6, 16);
    g_assert_true(vpcflow_parse_ipv6("2a02:cf40::", 11, a));
    g_assert_false(vpcflow_parse_ipv6("10.0.0.1", 8, a));
    /* Too long to be an address: rejected before any copy. */
    g_assert_false(vpcflow_parse_ipv6("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa", 49, a));
}

static void
test_parse_time_seconds_and_ms(void)
{
    gint64 s;
    gint32 ns;
    gboolean ms;

    g_assert_true(vpcflow_parse_time("1418530010", 10, &s, &ns, &ms));
    g_assert_cmpint(s, ==, 1418530010);
    g_assert_cmpint(ns, ==, 0);
    g_assert_false(ms);
    /* flowlogs-reader's millisecond sample */
    g_assert_true(vpcflow_parse_time("1512564058123", 13, &s, &ns, &ms));
    g_assert_cmpint(s, ==, 1512564058);
    g_assert_cmpint(ns, ==, 123000000);
    g_assert_true(ms);
    g_assert_false(vpcflow_parse_time("-", 1, &s, &ns, &ms));
}

static void
test_field_lookup_spellings(void)
{
    int log_status = vpcflow_field_lookup("log-status", 10);

    g_assert_cmpint(log_status, ==, VF_LOG_STATUS);
    g_assert_cmpint(vpcflow_field_lookup("log_status", 10), ==, VF_LOG_STATUS);
    g_assert_cmpint(vpcflow_field_lookup("logStatus", 9), ==, VF_LOG_STATUS);
    g_assert_cmpint(vpcflow_field_lookup("srcAddr", 7), ==, VF_SRCADDR);
    g_assert_cmpint(vpcflow_field_lookup("startTime", 9), ==, VF_START);
    g_assert_cmpint(vpcflow_field_lookup("endTime", 7), ==, VF_END);
    g_assert_cmpint(vpcflow_field_lookup("pkt-src-aws-service", 19), ==, VF_PKT_SRC_AWS_SERVICE);
    g_assert_cmpint(vpcflow_field_lookup("no-such-field", 13), ==, VF_UNKNOWN);
    g_assert_cmpint(vpcflow_field_lookup("10.0.0.1", 8), ==, VF_UNKNOWN);
    g_assert_cmpint(vpcflow_field_lookup("", 0), ==, VF_UNKNOWN);
}

static void
test_catalogue_counts(void)
{
    guint vpc_v5 = 0, vpc_v11 = 0, tgw = 0;

    for (guint i = 0; i < vpcflow_field_count; i++) {
        const vpcflow_field_t *f = &vpcflow_fields[i];
        if ((f->in & VF_IN_VPC) && f->version <= 5)
            vpc_v5++;
        if (f->in & VF_IN_VPC)
            vpc_v11++;
        if (f->in & VF_IN_TGW)
            tgw++;
        /* every name resolves to itself */
        g_assert_cmpint(vpcflow_field_lookup(f->name, strlen(f->name)), ==, (int)i);
    }
    /* AWS: "all 29 fields" up to v5, 54 up to v11; TGW default has 36 fields */
    g_assert_cmpuint(vpc_v5, ==, 29);
    g_assert_cmpuint(vpc_v11, ==, 54);
    g_assert_cmpuint(tgw, ==, 36);
}

static void
test_field_shapes(void)
{
    g_assert_true(vpcflow_field_fits(VF_INTERFACE_ID, "eni-0a1b", 8));
    g_assert_false(vpcflow_field_fits(VF_INTERFACE_ID, "eni-", 4));
    g_assert_true(vpcflow_field_fits(VF_ACTION, "REJECT", 6));
    g_assert_false(vpcflow_field_fits(VF_ACTION, "REJECTED", 8));
    g_assert_true(vpcflow_field_fits(VF_REGION, "ap-northeast-2", 14));
    g_assert_true(vpcflow_field_fits(VF_REGION, "us-gov-west-1", 13));
    g_assert_false(vpcflow_field_fits(VF_REGION, "ingress", 7));
    g_assert_true(vpcflow_field_fits(VF_AZ_ID, "use1-az4", 8));
    g_assert_false(vpcflow_field_fits(VF_AZ_ID, "us-east-1a", 10));
    g_assert_true(vpcflow_field_fits(VF_ACCOUNT_ID, "unknown", 7));
    g_assert_false(vpcflow_field_fits(VF_ACCOUNT_ID, "1234567890123", 13));
    g_assert_true(vpcflow_field_fits(VF_START, "164000066", 9));
    g_assert_false(vpcflow_field_fits(VF_START, "16400006", 8));
    g_assert_true(vpcflow_field_fits(VF_VERSION, "255", 3));
    g_assert_false(vpcflow_field_fits(VF_VERSION, "256", 3));
    g_assert_true(vpcflow_field_fits(VF_PKT_SRC_AWS_SERVICE, "ROUTE53_HEALTHCHECKS", 20));
    g_assert_false(vpcflow_field_fits(VF_PKT_SRC_AWS_SERVICE, "S3-x", 4));
}

static void
check_names(const vpcflow_format_t *format, const char *expected_text)
{
    g_assert_nonnull(format);
    g_assert_cmpstr(format->text, ==, expected_text);
}

static void
test_format_parse_spellings(void)
{
    const char *want = "srcaddr dstaddr log-status";
    const char *forms[] = {
        "srcaddr dstaddr log-status",
        "${srcaddr} ${dstaddr} ${log-status}",
        "src_addr, dst_addr, log_status",
        "parse @message \"* * *\" as srcAddr, dstAddr, logStatus",
        "fields @timestamp | parse @message \"* * *\" as srcaddr, dstaddr, log_status | filter action=\"REJECT\"",
        "  srcaddr\tdstaddr   log-status \n",
    };

    for (guint i = 0; i < G_N_ELEMENTS(forms); i++) {
        char *error = NULL;
        vpcflow_format_t *f = vpcflow_format_parse(forms[i], strlen(forms[i]), &error);
        g_assert_null(error);
        check_names(f, want);
        g_assert_cmpint(vpcflow_format_column(f, VF_DSTADDR), ==, 1);
        g_assert_cmpint(vpcflow_format_column(f, VF_START), ==, -1);
        vpcflow_format_free(f);
    }
}

static void
test_format_parse_keeps_unknown_and_rejects_junk(void)
{
    char *error = NULL;
    vpcflow_format_t *f = vpcflow_format_parse("version future-field srcaddr", 28, &error);

    check_names(f, "version future-field srcaddr");
    g_assert_cmpint(f->field[1], ==, VF_UNKNOWN);
    vpcflow_format_free(f);

    g_assert_null(vpcflow_format_parse("version src@addr", 16, &error));
    g_assert_nonnull(strstr(error, "src@addr"));
    g_free(error);
    error = NULL;
    g_assert_null(vpcflow_format_parse("   ", 3, &error));
    g_assert_nonnull(error);
    g_free(error);
    error = NULL;
    g_assert_null(vpcflow_format_parse("parse @message \"* *\"", 20, &error));
    g_assert_nonnull(error);
    g_free(error);
}

static void
test_header_detection(void)
{
    const char *header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    vpcflow_format_t *f = vpcflow_format_from_header(header, strlen(header));

    check_names(f, header);
    g_assert_cmpuint(f->n_columns, ==, 14);
    vpcflow_format_free(f);

    /* Unknown names are kept when most are known; keeps the original text. */
    f = vpcflow_format_from_header("account_id new-thing srcaddr", 28);
    check_names(f, "account_id new-thing srcaddr");
    g_assert_cmpint(f->field[0], ==, VF_ACCOUNT_ID);
    vpcflow_format_free(f);

    g_assert_null(vpcflow_format_from_header(DEFAULT_V2, strlen(DEFAULT_V2)));
    g_assert_null(vpcflow_format_from_header("bogus line", 10));
    g_assert_null(vpcflow_format_from_header("Version Srcaddr", 15));     /* not lower case */
    g_assert_null(vpcflow_format_from_header("one two srcaddr", 15));     /* too few known */
    g_assert_null(vpcflow_format_from_header("", 0));
}

/* Detect a layout from sample lines; returns its description or NULL. */
static const char *
detect(const char *const *lines, guint n)
{
    gsize lengths[16];

    for (guint i = 0; i < n; i++)
        lengths[i] = strlen(lines[i]);
    const vpcflow_layout_t *layout = vpcflow_layout_detect(lines, lengths, n);
    return layout ? layout->description : NULL;
}

static void
test_detect_default_and_nodata(void)
{
    const char *lines[] = {
        DEFAULT_V2,
        "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
        "bogus line",
    };

    g_assert_cmpstr(detect(lines, 3), ==, "default format (version 2)");
    g_assert_cmpstr(detect(lines + 1, 1), ==, "default format (version 2)");
}

static void
test_detect_workshop_alphabetical(void)
{
    /* elastic/integrations#8532: a real SKIPDATA row in the sorted 29-field layout */
    const char *lines[] = {
        "325352056000 - apne1-az1 - - - 1700185000 - i-085c8f3d12aa57000 eni-03a3504cbdd789000 SKIPDATA - - - - - - "
        "ap-northeast-1 - - 1700185000 - - subnet-f27b1000 - - - 5 vpc-bcd5b000",
    };
    g_assert_cmpstr(detect(lines, 1), ==, "all fields up to version 5, sorted by name");
}

static void
test_detect_tgw_default(void)
{
    const char *lines[] = {
        "3 - 748335378900 tgw-0a12bc34de56f7890 tgw-attach-0789ijkl - - vpc-0jkl5678 vpc-0ghi9012 - - "
        "eni-0cc3dd4ee5f66aa7b eni-0cc3dd4ee5f66aa7b - - - 1.128.0.0 2a02:cf40:: 39464 22 6 49 8947 "
        "1755592533 1755592558 SKIPDATA - - - - - - - ingress - -",
    };
    g_assert_cmpstr(detect(lines, 1), ==, "Transit Gateway default format");
}

static void
test_detect_rejects_other_text(void)
{
    const char *syslog[] = {
        "Nov 27 00:10:32 host sshd[123]: Accepted publickey for root from 10.0.0.1 port 52344 ssh2",
        "Nov 27 00:10:33 host systemd[1]: Started Session 4 of user root.",
    };
    const char *csv[] = { "a,b,c", "1,2,3" };
    const char *readme[] = { "# vpcshark", "Wireshark plugins for AWS flow logs and mirroring." };

    g_assert_null(detect(syslog, 2));
    g_assert_null(detect(csv, 2));
    g_assert_null(detect(readme, 2));
    gsize l[2] = { strlen(syslog[0]), strlen(syslog[1]) };
    g_assert_false(vpcflow_lines_look_like_records(syslog, l, 2));
}

static void
test_unknown_format_records_look_like_records(void)
{
    /* AWS docs NAT gateway example: 6 custom fields, no header */
    const char *lines[] = {
        "- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5",
        "- eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5",
    };
    gsize l[2] = { strlen(lines[0]), strlen(lines[1]) };

    g_assert_null(detect(lines, 2));
    g_assert_true(vpcflow_lines_look_like_records(lines, l, 2));
}

/* Region names of every partition, as the AWS SDKs' partitions.json
 * patterns and the AWS region lists give them (docs/aws-facts.md). */
static void
test_region_shapes_of_every_partition(void)
{
    static const char *const regions[] = {
        "us-east-1", "ap-southeast-5", "ap-southeast-7", "mx-central-1", "il-central-1", "ca-west-1",
        "eu-west-10",                                   /* a number past 9 */
        "us-gov-west-1", "us-gov-east-1",               /* aws-us-gov */
        "cn-north-1", "cn-northwest-1",                 /* aws-cn */
        "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
        "eusc-de-east-1",                               /* AWS European Sovereign Cloud */
    };
    static const char *const not_regions[] = {
        "ingress", "us-east", "us-east-1a", "aws-global", "US-EAST-1", "eusc-de-east", "e-east-1",
        "europe-west1", "us--east-1", "-us-east-1", "us-east-1-", "us-1-east-1", "use1-az1",
    };

    for (guint i = 0; i < G_N_ELEMENTS(regions); i++)
        g_assert_true(vpcflow_field_fits(VF_REGION, regions[i], strlen(regions[i])));
    for (guint i = 0; i < G_N_ELEMENTS(not_regions); i++)
        g_assert_false(vpcflow_field_fits(VF_REGION, not_regions[i], strlen(not_regions[i])));
}

/* AZ IDs: <region abbreviation><number>-az<number> (AWS's AZ ID page:
 * use1-az1, euw1-az1), GovCloud usgw1-az1, China cnn1-az1 and
 * cnnw1-az3, a Local Zone's usw2-lax1-az1. */
static void
test_az_id_shapes(void)
{
    static const char *const ids[] = {
        "use1-az1", "euw1-az1", "apse2-az3", "usgw1-az1", "cnn1-az1", "cnnw1-az3", "usw2-lax1-az1",
    };
    static const char *const not_ids[] = { "us-east-1a", "use1-az", "az1", "use1-AZ1", "eusc-de-east-1" };

    for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_assert_true(vpcflow_field_fits(VF_AZ_ID, ids[i], strlen(ids[i])));
        g_assert_true(vpcflow_field_fits(vpcflow_field_lookup("next-hop-az-id", 14), ids[i], strlen(ids[i])));
    }
    for (guint i = 0; i < G_N_ELEMENTS(not_ids); i++)
        g_assert_false(vpcflow_field_fits(VF_AZ_ID, not_ids[i], strlen(not_ids[i])));
}

/* The 40 fields up to version 8 in AWS table order, one record each. */
#define ALL_V8_HEAD "8 123456789010 eni-1235b8ca123456789 203.0.113.5 10.0.1.10 51515 22 6 3 180 " \
    "1700000000 1700000060 REJECT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 " \
    "2 IPv4 203.0.113.5 10.0.1.10 "
#define ALL_V8_TAIL " - - - - ingress - - - - - - - - - - - "

/* AWS documents BPA (and "-"); any other reason is text like any other,
 * never a reason to refuse a layout. */
static void
test_reject_reason_any_value(void)
{
    int reject_reason = vpcflow_field_lookup("reject-reason", 13);
    const char *lines[] = {
        ALL_V8_HEAD "us-east-1 use1-az1" ALL_V8_TAIL "BPA",
        ALL_V8_HEAD "us-east-1 use1-az1" ALL_V8_TAIL "EC",
        ALL_V8_HEAD "us-east-1 use1-az1" ALL_V8_TAIL "SOME_FUTURE_REASON",
    };

    g_assert_true(vpcflow_field_fits(reject_reason, "BPA", 3));
    g_assert_true(vpcflow_field_fits(reject_reason, "EC", 2));
    g_assert_true(vpcflow_field_fits(reject_reason, "SOME_FUTURE_REASON", 18));
    g_assert_cmpuint(count_tokens(lines[0]), ==, 40);
    g_assert_cmpstr(detect(lines, 3), ==, "all fields up to version 8");
    g_assert_cmpstr(detect(lines + 2, 1), ==, "all fields up to version 8");
}

/* A headerless all-fields file from the European Sovereign Cloud, whose
 * AZ IDs are not published: az-id "-". */
static void
test_detect_sovereign_cloud_region(void)
{
    const char *lines[] = {
        ALL_V8_HEAD "eusc-de-east-1 -" ALL_V8_TAIL "-",
        ALL_V8_HEAD "eusc-de-east-1 -" ALL_V8_TAIL "BPA",
    };

    g_assert_cmpstr(detect(lines, 2), ==, "all fields up to version 8");
}

/* tcp-flags names: AWS's own examples are 3 (SYN and FIN) and 19
 * (SYN-ACK and FIN); 18 is SYN-ACK, so 18 | 2 is 18 as well. */
static void
test_tcp_flags_names(void)
{
    static const struct {
        guint32     value;
        const char *names;
    } cases[] = {
        { 0, "none" },
        { 1, "FIN" },
        { 2, "SYN" },
        { 3, "SYN + FIN" },
        { 4, "RST" },
        { 6, "SYN + RST" },
        { 18, "SYN-ACK" },
        { 19, "SYN-ACK + FIN" },
        { 16, "ACK" },
        { 24, "PSH + ACK" },
        { 255, "SYN-ACK + FIN + RST + PSH + URG + 0x40 + 0x80" },
    };
    char buf[VPCFLOW_TCP_NAMES_LEN];

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        vpcflow_tcp_flags_names(cases[i].value, buf, sizeof buf);
        g_assert_cmpstr(buf, ==, cases[i].names);
    }
}

/* Bits AWS does not record: VPC logs have FIN 1, SYN 2, RST 4, SYN-ACK 18
 * only; the Transit Gateway page also lists PSH 8, ACK 16, URG 32, and
 * says a flow of ACKs alone reports 0. */
static void
test_tcp_flags_unrecorded(void)
{
    static const guint32 vpc_ok[] = { 0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 22, 23 };

    for (guint i = 0; i < G_N_ELEMENTS(vpc_ok); i++) {
        g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(vpc_ok[i], FALSE), ==, 0);
        g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(vpc_ok[i], TRUE), ==, 0);
    }
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(8, FALSE), ==, 8);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(32, FALSE), ==, 32);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(16, FALSE), ==, 16);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(17, FALSE), ==, 16);   /* ACK + FIN, no SYN */
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(24, FALSE), ==, 24);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(26, FALSE), ==, 8);    /* SYN-ACK + PSH */
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(64, FALSE), ==, 64);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(8, TRUE), ==, 0);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(32, TRUE), ==, 0);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(24, TRUE), ==, 0);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(16, TRUE), ==, 16);
    g_assert_cmpuint(vpcflow_tcp_flags_unrecorded(64, TRUE), ==, 64);
}

static void
test_format_is_tgw(void)
{
    char *error = NULL;
    vpcflow_format_t *tgw = vpcflow_format_parse("version resource-type srcaddr tcp-flags", 39, &error);
    vpcflow_format_t *vpc = vpcflow_format_parse("version srcaddr tcp-flags interface-id", 38, &error);
    vpcflow_format_t *shared = vpcflow_format_parse("srcaddr dstaddr tcp-flags", 25, &error);

    g_assert_true(vpcflow_format_is_tgw(tgw));
    g_assert_false(vpcflow_format_is_tgw(vpc));
    g_assert_false(vpcflow_format_is_tgw(shared));
    vpcflow_format_free(tgw);
    vpcflow_format_free(vpc);
    vpcflow_format_free(shared);
}

static void
test_envelope_round_trip(void)
{
    GByteArray *meta = g_byte_array_new();
    vpcflow_envelope_t in, out;
    gsize payload;

    vpcflow_meta_append(meta, VPCFLOW_META_LOG_STREAM, "eni-1-all", 9);
    vpcflow_meta_append(meta, VPCFLOW_META_EVENT_TIME, "1418530010000", 13);
    memset(&in, 0, sizeof in);
    in.format_from = VPCFLOW_FORMAT_FROM_DETECTED;
    in.flags = VPCFLOW_FLAG_LINE_CUT;
    in.line = 70000;
    in.line_length = 123456;
    in.format = "srcaddr dstaddr";
    in.format_length = 15;
    in.meta = meta->data;
    in.meta_length = (guint16)meta->len;
    in.record = "10.0.0.1 10.0.0.2";
    in.record_length = 17;

    gsize size = vpcflow_frame_size(&in);
    g_assert_cmpuint(size, ==, 16 + 16 + 15 + meta->len + 17);
    guint8 *frame = g_malloc(size);
    vpcflow_frame_store(frame, &in);

    g_assert_true(vpcflow_epdu_payload(frame, size, &payload));
    g_assert_cmpuint(payload, ==, VPCFLOW_EPDU_PREFIX_LEN);
    g_assert_true(vpcflow_envelope_parse(frame + payload, size - payload, &out));
    g_assert_cmpint(out.format_from, ==, VPCFLOW_FORMAT_FROM_DETECTED);
    g_assert_cmpuint(out.flags, ==, VPCFLOW_FLAG_LINE_CUT);
    g_assert_cmpuint(out.line, ==, 70000);
    g_assert_cmpuint(out.line_length, ==, 123456);
    g_assert_cmpmem(out.format, out.format_length, "srcaddr dstaddr", 15);
    g_assert_cmpmem(out.record, out.record_length, "10.0.0.1 10.0.0.2", 17);

    gsize off = 0;
    guint8 type;
    const guint8 *value;
    guint16 vlen;
    g_assert_true(vpcflow_meta_next(out.meta, out.meta_length, &off, &type, &value, &vlen));
    g_assert_cmpuint(type, ==, VPCFLOW_META_LOG_STREAM);
    g_assert_cmpmem(value, vlen, "eni-1-all", 9);
    g_assert_true(vpcflow_meta_next(out.meta, out.meta_length, &off, &type, &value, &vlen));
    g_assert_cmpuint(type, ==, VPCFLOW_META_EVENT_TIME);
    g_assert_false(vpcflow_meta_next(out.meta, out.meta_length, &off, &type, &value, &vlen));

    /* Cut anywhere inside the header or the declared lengths: refused. */
    for (gsize cut = 0; cut < VPCFLOW_ENVELOPE_HEADER_LEN + 15 + meta->len; cut++)
        g_assert_false(vpcflow_envelope_parse(frame + payload, cut, &out));
    g_free(frame);
    g_byte_array_free(meta, TRUE);
}

static void
test_epdu_other_dissector(void)
{
    /* tag 12 length 4 "eth\0", end of options, payload */
    static const guint8 other[] = { 0, 12, 0, 4, 'e', 't', 'h', 0, 0, 0, 0, 0, 0xAA };
    static const guint8 overrun[] = { 0, 12, 0, 40, 'v', 'p', 'c' };
    gsize off;

    g_assert_false(vpcflow_epdu_payload(other, sizeof other, &off));
    g_assert_false(vpcflow_epdu_payload(overrun, sizeof overrun, &off));
    g_assert_false(vpcflow_epdu_payload(other, 2, &off));
}

static void
test_position_packing(void)
{
    gint64 p = vpcflow_pos_pack(123456789, 4321);

    g_assert_cmpint(vpcflow_pos_offset(p), ==, 123456789);
    g_assert_cmpuint(vpcflow_pos_line(p), ==, 4321);
    /* beyond 64 GiB or 2^26 lines: offset kept, line unknown */
    p = vpcflow_pos_pack(G_GINT64_CONSTANT(1) << 37, 5);
    g_assert_cmpint(vpcflow_pos_offset(p), ==, G_GINT64_CONSTANT(1) << 37);
    g_assert_cmpuint(vpcflow_pos_line(p), ==, 0);
    p = vpcflow_pos_pack(77, G_GUINT64_CONSTANT(1) << 26);
    g_assert_cmpint(vpcflow_pos_offset(p), ==, 77);
    g_assert_cmpuint(vpcflow_pos_line(p), ==, 0);
    g_assert_cmpint(vpcflow_pos_pack(0, 0), >=, 0);
}

/* The column naming where a record was seen, from the record's own text. */
static int
where_in(const char *format_text, const char *record)
{
    char *error = NULL;
    vpcflow_format_t *format = vpcflow_format_parse(format_text, strlen(format_text), &error);
    vpcflow_token_t tokens[16];

    g_assert_nonnull(format);
    guint n = vpcflow_tokenize(record, strlen(record), tokens, G_N_ELEMENTS(tokens));
    int c = vpcflow_record_where(format, record, tokens, n);
    vpcflow_format_free(format);
    return c;
}

static void
test_record_where(void)
{
    /* The network interface when there is one. */
    g_assert_cmpint(where_in("version interface-id resource-id srcaddr", "5 eni-01 nat-02 10.0.0.1"), ==, 1);
    /* A regional NAT gateway logs "-" as its interface: its resource id names it. */
    g_assert_cmpint(where_in("version interface-id resource-id srcaddr", "5 - nat-02 10.0.0.1"), ==, 2);
    /* Transit Gateway flow logs: the attachment, in any column order. */
    g_assert_cmpint(where_in("srcaddr tgw-attachment-id version", "10.0.0.1 tgw-attach-03 6"), ==, 1);
    g_assert_cmpint(where_in("version interface-id tgw-attachment-id", "6 - tgw-attach-03"), ==, 2);
    /* Nothing there, or a record that does not have the format's columns. */
    g_assert_cmpint(where_in("version interface-id resource-id", "5 - -"), ==, -1);
    g_assert_cmpint(where_in("version srcaddr", "2 10.0.0.1"), ==, -1);
    g_assert_cmpint(where_in("version interface-id srcaddr", "2 eni-01"), ==, -1);
}

/* The record builder: the frame holds the record, and the time and interface come from its values. */
static void
test_record_facts_and_frame(void)
{
    char *error = NULL;
    const char *names = "version interface-id start end";
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);
    vpcflow_record_t record;
    vpcflow_record_facts_t facts;
    vpcflow_envelope_t env;
    gsize payload;

    memset(&record, 0, sizeof record);
    record.format = format;
    record.format_from = VPCFLOW_FORMAT_FROM_HEADER;
    record.text = "2 eni-0a1b 1418530010 1418530070";
    record.length = strlen(record.text);
    record.line = 7;
    record.stream = "eni-other-all";
    vpcflow_record_facts(&record, &facts);
    g_assert_true(facts.has_time);
    g_assert_cmpint(facts.secs, ==, 1418530010);
    g_assert_false(facts.time_in_ms);
    g_assert_cmpmem(facts.where, facts.where_length, "eni-0a1b", 8);

    gsize size = vpcflow_record_frame_size(&record);
    guint8 *frame = g_malloc(size);
    vpcflow_record_frame_store(frame, &record);
    g_assert_true(vpcflow_epdu_payload(frame, size, &payload));
    g_assert_true(vpcflow_envelope_parse(frame + payload, size - payload, &env));
    g_assert_cmpint(env.format_from, ==, VPCFLOW_FORMAT_FROM_HEADER);
    g_assert_cmpmem(env.format, env.format_length, names, strlen(names));
    g_assert_cmpmem(env.record, env.record_length, record.text, record.length);
    g_assert_cmpuint(env.line, ==, 7);
    g_assert_cmpuint(env.line_length, ==, record.length);
    g_free(frame);

    /* No start and no interface in the values: the CloudWatch event time and log stream. */
    record.text = "2 - - 1418530070";
    record.length = strlen(record.text);
    record.has_event_time = TRUE;
    record.event_time_ms = 1418530012345;
    vpcflow_record_facts(&record, &facts);
    g_assert_true(facts.has_time);
    g_assert_cmpint(facts.secs, ==, 1418530012);
    g_assert_cmpint(facts.nsecs, ==, 345000000);
    g_assert_true(facts.time_in_ms);
    g_assert_cmpstr(facts.where, ==, "eni-other-all");

    /* No format: no time from the values, and the frame says the format is not known. */
    record.format = NULL;
    record.has_event_time = FALSE;
    vpcflow_record_facts(&record, &facts);
    g_assert_false(facts.has_time);
    size = vpcflow_record_frame_size(&record);
    frame = g_malloc(size);
    vpcflow_record_frame_store(frame, &record);
    g_assert_true(vpcflow_envelope_parse(frame + VPCFLOW_EPDU_PREFIX_LEN, size - VPCFLOW_EPDU_PREFIX_LEN, &env));
    g_assert_cmpint(env.format_from, ==, VPCFLOW_FORMAT_FROM_NONE);
    g_assert_cmpuint(env.format_length, ==, 0);
    g_free(frame);
    vpcflow_format_free(format);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tokens/runs-of-blanks", test_tokenize_runs_of_blanks);
    g_test_add_func("/tokens/counts-past-max", test_tokenize_counts_past_max);
    g_test_add_func("/tokens/uint64", test_parse_uint64);
    g_test_add_func("/tokens/addresses", test_parse_addresses);
    g_test_add_func("/tokens/time-seconds-and-ms", test_parse_time_seconds_and_ms);
    g_test_add_func("/fields/lookup-spellings", test_field_lookup_spellings);
    g_test_add_func("/fields/catalogue-counts", test_catalogue_counts);
    g_test_add_func("/fields/shapes", test_field_shapes);
    g_test_add_func("/format/parse-spellings", test_format_parse_spellings);
    g_test_add_func("/format/parse-unknown-and-junk", test_format_parse_keeps_unknown_and_rejects_junk);
    g_test_add_func("/format/header-detection", test_header_detection);
    g_test_add_func("/layout/default-and-nodata", test_detect_default_and_nodata);
    g_test_add_func("/layout/workshop-alphabetical", test_detect_workshop_alphabetical);
    g_test_add_func("/layout/tgw-default", test_detect_tgw_default);
    g_test_add_func("/layout/rejects-other-text", test_detect_rejects_other_text);
    g_test_add_func("/layout/unknown-format-records", test_unknown_format_records_look_like_records);
    g_test_add_func("/facts/regions-of-every-partition", test_region_shapes_of_every_partition);
    g_test_add_func("/facts/az-ids", test_az_id_shapes);
    g_test_add_func("/facts/reject-reason-any-value", test_reject_reason_any_value);
    g_test_add_func("/facts/sovereign-cloud-layout", test_detect_sovereign_cloud_region);
    g_test_add_func("/facts/tcp-flags-names", test_tcp_flags_names);
    g_test_add_func("/facts/tcp-flags-unrecorded", test_tcp_flags_unrecorded);
    g_test_add_func("/facts/format-is-tgw", test_format_is_tgw);
    g_test_add_func("/frame/envelope-round-trip", test_envelope_round_trip);
    g_test_add_func("/frame/epdu-other-dissector", test_epdu_other_dissector);
    g_test_add_func("/frame/position-packing", test_position_packing);
    g_test_add_func("/record/where", test_record_where);
    g_test_add_func("/record/facts-and-frame", test_record_facts_and_frame);
    return g_test_run();
}
