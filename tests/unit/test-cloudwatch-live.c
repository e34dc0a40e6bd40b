/* test-cloudwatch-live.c
 * Unit tests of the CloudWatch Logs extcap's library: the AWS shared
 * files, the credential chain (environment, credentials file, config
 * file, credential_process with its time limit), FilterLogEvents request
 * bodies and response pages, start times and the event-id memory.
 * Expected values are written here from the AWS formats, not taken from
 * the code's output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aws-credentials.h"
#include "cwl-api.h"

/* A private folder with the two AWS files, set as AWS_* variables. */
typedef struct {
    char *dir, *credentials, *config;
} aws_files_t;

static void
files_setup(aws_files_t *f, const char *credentials, const char *config)
{
    static const char *const vars[] = { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                        "AWS_PROFILE" };
    for (gsize i = 0; i < G_N_ELEMENTS(vars); i++)
        g_unsetenv(vars[i]);
    f->dir = g_dir_make_tmp("cwl-test-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->credentials = g_build_filename(f->dir, "credentials", NULL);
    f->config = g_build_filename(f->dir, "config", NULL);
    if (credentials)
        g_assert_true(g_file_set_contents(f->credentials, credentials, -1, NULL));
    if (config)
        g_assert_true(g_file_set_contents(f->config, config, -1, NULL));
    g_setenv("AWS_SHARED_CREDENTIALS_FILE", f->credentials, TRUE);
    g_setenv("AWS_CONFIG_FILE", f->config, TRUE);
}

static void
files_teardown(aws_files_t *f)
{
    g_remove(f->credentials);
    g_remove(f->config);
    char *script = g_build_filename(f->dir, "process.sh", NULL);
    g_remove(script);
    g_free(script);
    g_rmdir(f->dir);
    g_free(f->dir);
    g_free(f->credentials);
    g_free(f->config);
}

/* A credential_process script in the folder; its path (g_free it). */
static char *
write_script(const aws_files_t *f, const char *body)
{
    char *path = g_build_filename(f->dir, "process.sh", NULL);
    char *text = g_strdup_printf("#!/bin/sh\n%s\n", body);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_chmod(path, 0700);
    g_free(text);
    return path;
}

static void
test_ini(void)
{
    const char text[] = "# comment\n"
                        "[default]\n"
                        "aws_access_key_id = AKIADEFAULT\n"
                        "  ; indented comment\n"
                        "[profile dev]\r\n"
                        "Region=eu-west-1\r\n"
                        "s3 =\n"
                        "  max_concurrent_requests = 20\n"
                        "output = json\n"
                        "[ spaced ]\n"
                        "key = value with = sign\n"
                        "empty =\n";
    aws_ini_t *ini = aws_ini_parse(text, sizeof text - 1);

    g_assert_cmpstr(aws_ini_get(ini, "default", "aws_access_key_id"), ==, "AKIADEFAULT");
    /* names are case-insensitive, CR LF line ends are trimmed */
    g_assert_cmpstr(aws_ini_get(ini, "profile dev", "region"), ==, "eu-west-1");
    /* an indented line belongs to the nested value above, not to the profile */
    g_assert_null(aws_ini_get(ini, "profile dev", "max_concurrent_requests"));
    g_assert_cmpstr(aws_ini_get(ini, "profile dev", "output"), ==, "json");
    g_assert_cmpstr(aws_ini_get(ini, "spaced", "key"), ==, "value with = sign");
    g_assert_null(aws_ini_get(ini, "spaced", "empty"));
    g_assert_true(aws_ini_has_section(ini, "spaced"));
    g_assert_null(aws_ini_get(ini, "nowhere", "key"));
    aws_ini_free(ini);
}

static void
test_environment_first(void)
{
    aws_files_t f;
    aws_credentials_t c;
    char *error = NULL;

    files_setup(&f, "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n", NULL);
    g_setenv("AWS_ACCESS_KEY_ID", "AKIAENV", TRUE);
    g_setenv("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
    g_setenv("AWS_SESSION_TOKEN", "env-token", TRUE);
    g_assert_true(aws_credentials_find(NULL, 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIAENV");
    g_assert_cmpstr(c.secret_access_key, ==, "env-secret");
    g_assert_cmpstr(c.session_token, ==, "env-token");
    aws_credentials_clear(&c);
    /* a profile asked for wins over the environment (the CLI's --profile) */
    g_assert_true(aws_credentials_find("default", 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIAFILE");
    g_assert_null(c.session_token);
    g_assert_nonnull(strstr(c.source, "profile \"default\""));
    aws_credentials_clear(&c);
    /* AWS_PROFILE does not: keys in the environment come first */
    g_setenv("AWS_PROFILE", "other", TRUE);
    g_assert_true(aws_credentials_find(NULL, 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIAENV");
    aws_credentials_clear(&c);
    files_teardown(&f);
}

static void
test_profiles(void)
{
    aws_files_t f;
    aws_credentials_t c;
    char *error = NULL;

    files_setup(&f,
                "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s0\n"
                "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s1\naws_session_token = t1\n"
                "[half]\naws_access_key_id = AKIAHALF\n",
                "[default]\nregion = us-east-1\n"
                "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIACONFIGDEV\naws_secret_access_key = x\n"
                "[profile cfg]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = s2\n"
                "[profile empty]\nregion = eu-north-1\n"
                "[profile sso]\nsso_session = corp\n"
                "[cfg-without-prefix]\naws_access_key_id = AKIAWRONG\naws_secret_access_key = w\n");
    /* AWS_PROFILE picks the profile; the credentials file wins over the config file */
    g_setenv("AWS_PROFILE", "dev", TRUE);
    g_assert_true(aws_credentials_find(NULL, 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIADEV");
    g_assert_cmpstr(c.session_token, ==, "t1");
    aws_credentials_clear(&c);
    char *region = aws_profile_region(NULL);
    g_assert_cmpstr(region, ==, "eu-west-1");
    g_free(region);
    g_unsetenv("AWS_PROFILE");
    region = aws_profile_region(NULL);
    g_assert_cmpstr(region, ==, "us-east-1");
    g_free(region);
    g_assert_true(aws_credentials_find(NULL, 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIADEFAULT");
    aws_credentials_clear(&c);
    /* keys of a [profile x] section of the config file */
    g_assert_true(aws_credentials_find("cfg", 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "AKIACONFIG");
    aws_credentials_clear(&c);
    /* the config file's sections other than default need "profile " */
    g_assert_false(aws_credentials_find("cfg-without-prefix", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "no profile \"cfg-without-prefix\""));
    g_clear_pointer(&error, g_free);
    /* half a key pair */
    g_assert_false(aws_credentials_find("half", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "profile \"half\""));
    g_assert_nonnull(strstr(error, "aws_secret_access_key"));
    g_clear_pointer(&error, g_free);
    /* a profile without credentials, and one that signs in through SSO */
    g_assert_false(aws_credentials_find("empty", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "AWS profile \"empty\" has no credentials"));
    g_clear_pointer(&error, g_free);
    g_assert_false(aws_credentials_find("sso", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "export-credentials --profile sso"));
    g_clear_pointer(&error, g_free);
    files_teardown(&f);
}

static void
test_no_files(void)
{
    aws_files_t f;
    aws_credentials_t c;
    char *error = NULL;

    files_setup(&f, NULL, NULL);
    g_assert_false(aws_credentials_find(NULL, 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "no AWS credentials"));
    g_assert_nonnull(strstr(error, "profile \"default\""));
    g_free(error);
    files_teardown(&f);
}

static void
test_credential_process(void)
{
    aws_files_t f;
    aws_credentials_t c;
    char *error = NULL;

    files_setup(&f, NULL, NULL);
    char *script = write_script(&f, "[ \"$1\" = --profile ] && [ \"$2\" = 'with space' ] || exit 3\n"
                                    "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": "
                                    "\"proc-secret\", \"SessionToken\": \"proc-token\", "
                                    "\"Expiration\": \"2030-01-02T03:04:05Z\"}'");
    char *config = g_strdup_printf("[profile sso]\ncredential_process = %s --profile 'with space'\n", script);
    g_assert_true(g_file_set_contents(f.config, config, -1, NULL));
    g_assert_true(aws_credentials_find("sso", 0, NULL, &c, &error));
    g_assert_cmpstr(c.access_key_id, ==, "ASIAPROC");
    g_assert_cmpstr(c.secret_access_key, ==, "proc-secret");
    g_assert_cmpstr(c.session_token, ==, "proc-token");
    /* 2030-01-02T03:04:05Z */
    g_assert_cmpint(c.expires_ms, ==, G_GINT64_CONSTANT(1893553445000));
    g_assert_nonnull(strstr(c.source, "credential_process"));
    aws_credentials_clear(&c);
    g_free(config);
    g_free(script);

    /* a process that fails */
    script = write_script(&f, "echo 'Error: the SSO session has expired' >&2; exit 255");
    config = g_strdup_printf("[profile sso]\ncredential_process = %s\n", script);
    g_assert_true(g_file_set_contents(f.config, config, -1, NULL));
    g_assert_false(aws_credentials_find("sso", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "failed (exit status 255)"));
    g_assert_nonnull(strstr(error, "profile \"sso\""));
    g_clear_pointer(&error, g_free);
    g_free(config);
    g_free(script);

    /* one that never ends, even with its output closed: stopped at the limit */
    script = write_script(&f, "exec >/dev/null; sleep 60");
    config = g_strdup_printf("[profile sso]\ncredential_process = %s\n", script);
    g_assert_true(g_file_set_contents(f.config, config, -1, NULL));
    gint64 before = g_get_monotonic_time();
    g_assert_false(aws_credentials_find("sso", 1000, NULL, &c, &error));
    g_assert_cmpint(g_get_monotonic_time() - before, <, 5 * G_USEC_PER_SEC);
    g_assert_nonnull(strstr(error, "did not finish"));
    g_clear_pointer(&error, g_free);
    g_free(config);
    g_free(script);

    /* one that does not exist */
    g_assert_true(g_file_set_contents(f.config, "[profile sso]\ncredential_process = /nonexistent/helper\n", -1,
                                      NULL));
    g_assert_false(aws_credentials_find("sso", 0, NULL, &c, &error));
    g_assert_nonnull(strstr(error, "cannot be run"));
    g_clear_pointer(&error, g_free);
    files_teardown(&f);
}

static void
test_process_json(void)
{
    static const struct {
        const char *json;
        const char *error;      /* NULL: accepted */
    } cases[] = {
        { "{\"Version\":1,\"AccessKeyId\":\"AKIA1\",\"SecretAccessKey\":\"s\"}", NULL },
        { "{\"Version\":2,\"AccessKeyId\":\"AKIA1\",\"SecretAccessKey\":\"s\"}", "Version" },
        { "{\"AccessKeyId\":\"AKIA1\",\"SecretAccessKey\":\"s\"}", "Version" },
        { "{\"Version\":1,\"AccessKeyId\":\"AKIA1\"}", "lacks" },
        { "{\"Version\":1,\"AccessKeyId\":\"AKIA1\",\"SecretAccessKey\":\"s\",\"Expiration\":\"soon\"}",
          "Expiration" },
        { "not json", "not" },
        { "[1,2]", "not a JSON object" },
        { "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "not JSON" },
        { "", "not" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        aws_credentials_t c;
        char *error = NULL;
        gboolean ok = aws_credentials_from_process_json(cases[i].json, strlen(cases[i].json), &c, &error);
        if (!cases[i].error) {
            g_assert_true(ok);
            g_assert_cmpstr(c.access_key_id, ==, "AKIA1");
            g_assert_cmpint(c.expires_ms, ==, 0);
            aws_credentials_clear(&c);
        } else {
            g_assert_false(ok);
            g_assert_nonnull(strstr(error, cases[i].error));
            g_free(error);
        }
    }
}

/*
 * A scripted HTTP side for the container and instance credentials: each
 * answer is for one expected request (method and URL), in order; every
 * request is kept, with its headers, to be checked.
 */
typedef struct {
    const char *method, *url;
    long        status;         /* 0: no answer */
    const char *body;
} exchange_t;

typedef struct {
    const exchange_t *script;
    guint             n, next;
    GString          *log;      /* "METHOD URL [header|header]\n" per request */
} fake_http_t;

static long
fake_request(void *data, const char *method, const char *url, const char *const *headers, guint timeout_ms,
             char **body, gsize *body_len, char **error)
{
    fake_http_t *f = data;

    g_assert_cmpuint(timeout_ms, >, 0);
    g_string_append_printf(f->log, "%s %s [", method, url);
    for (const char *const *h = headers; *h; h++)
        g_string_append_printf(f->log, "%s%s", h == headers ? "" : "|", *h);
    g_string_append(f->log, "]\n");
    g_assert_cmpuint(f->next, <, f->n);
    const exchange_t *x = &f->script[f->next++];
    g_assert_cmpstr(method, ==, x->method);
    g_assert_cmpstr(url, ==, x->url);
    if (!x->status) {
        *error = g_strdup("Connection timed out");
        return 0;
    }
    *body = g_strdup(x->body);
    *body_len = strlen(x->body);
    return x->status;
}

static const char instance_json[] =
    "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-12-03T08:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"
    "  \"AccessKeyId\" : \"ASIAINSTANCE\",\n  \"SecretAccessKey\" : \"instance-secret\",\n"
    "  \"Token\" : \"instance-token\",\n  \"Expiration\" : \"2026-12-03T14:00:00Z\"\n}";

/* Run the chain with no keys and no files against script; the requests made. */
static char *
chain(const exchange_t *script, guint n, gboolean expect_found, aws_credentials_t *c, char **error)
{
    aws_files_t files;
    fake_http_t f = { script, n, 0, g_string_new(NULL) };
    aws_http_t http = { fake_request, &f };

    files_setup(&files, NULL, NULL);
    gboolean found = aws_credentials_find(NULL, 0, &http, c, error);
    g_assert_cmpint(found, ==, expect_found);
    g_assert_cmpuint(f.next, ==, n);
    files_teardown(&files);
    return g_string_free(f.log, FALSE);
}

static void
machine_env_clear(void)
{
    static const char *const vars[] = { "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                        "AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_METADATA_SERVICE_TIMEOUT" };
    for (gsize i = 0; i < G_N_ELEMENTS(vars); i++)
        g_unsetenv(vars[i]);
}

#define ROLES "http://169.254.169.254/latest/meta-data/iam/security-credentials/"

static void
test_instance_credentials(void)
{
    aws_credentials_t c;
    char *error = NULL, *log;

    machine_env_clear();
    /* IMDSv2: a token, the role, its credentials, each GET with the token. */
    static const exchange_t v2[] = {
        { "PUT", "http://169.254.169.254/latest/api/token", 200, "AQAEAtoken==" },
        { "GET", ROLES, 200, "web-mirror-target\n" },
        { "GET", ROLES "web-mirror-target", 200, instance_json },
    };
    log = chain(v2, G_N_ELEMENTS(v2), TRUE, &c, &error);
    g_assert_cmpstr(log, ==,
                    "PUT http://169.254.169.254/latest/api/token [X-aws-ec2-metadata-token-ttl-seconds: 21600]\n"
                    "GET " ROLES " [X-aws-ec2-metadata-token: AQAEAtoken==]\n"
                    "GET " ROLES "web-mirror-target [X-aws-ec2-metadata-token: AQAEAtoken==]\n");
    g_assert_cmpstr(c.access_key_id, ==, "ASIAINSTANCE");
    g_assert_cmpstr(c.secret_access_key, ==, "instance-secret");
    g_assert_cmpstr(c.session_token, ==, "instance-token");
    g_assert_cmpint(c.expires_ms, ==, G_GINT64_CONSTANT(1796306400000));     /* 2026-12-03T14:00:00Z */
    g_assert_nonnull(strstr(c.source, "role \"web-mirror-target\""));
    aws_credentials_clear(&c);
    g_free(log);

    /* An IMDSv1-only instance refuses the token request: asked without one. */
    static const exchange_t v1[] = {
        { "PUT", "http://169.254.169.254/latest/api/token", 405, "" },
        { "GET", ROLES, 200, "r" },
        { "GET", ROLES "r", 200, instance_json },
    };
    log = chain(v1, G_N_ELEMENTS(v1), TRUE, &c, &error);
    g_assert_null(strstr(log, "X-aws-ec2-metadata-token:"));
    aws_credentials_clear(&c);
    g_free(log);

    /* Not on EC2: nothing answers; the message says every place looked at. */
    static const exchange_t none[] = { { "PUT", "http://169.254.169.254/latest/api/token", 0, NULL } };
    g_free(chain(none, 1, FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "no AWS credentials: AWS_ACCESS_KEY_ID is not set"));
    g_assert_nonnull(strstr(error, "; and no instance metadata service answered at http://169.254.169.254"));
    g_clear_pointer(&error, g_free);

    /* An instance without a role. */
    static const exchange_t no_role[] = {
        { "PUT", "http://169.254.169.254/latest/api/token", 200, "t" },
        { "GET", ROLES, 404, "Not Found" },
    };
    g_free(chain(no_role, G_N_ELEMENTS(no_role), FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "has no IAM role"));
    g_clear_pointer(&error, g_free);

    /* Credentials the service failed to make; a role name that would change the path. */
    static const exchange_t failed[] = {
        { "PUT", "http://169.254.169.254/latest/api/token", 200, "t" },
        { "GET", ROLES, 200, "r" },
        { "GET", ROLES "r", 200, "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"AccessKeyId\":\"A\","
                                 "\"SecretAccessKey\":\"s\"}" },
    };
    g_free(chain(failed, G_N_ELEMENTS(failed), FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "Code is \"AssumeRoleUnauthorizedAccess\""));
    g_clear_pointer(&error, g_free);
    static const exchange_t odd_role[] = {
        { "PUT", "http://169.254.169.254/latest/api/token", 200, "t" },
        { "GET", ROLES, 200, "../../user-data" },
    };
    g_free(chain(odd_role, G_N_ELEMENTS(odd_role), FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "no usable role name"));
    g_clear_pointer(&error, g_free);

    /* Another endpoint (IPv6 mode, or named); switched off: not asked at all. */
    g_setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6", TRUE);
    static const exchange_t v6[] = { { "PUT", "http://[fd00:ec2::254]/latest/api/token", 0, NULL } };
    g_free(chain(v6, 1, FALSE, &c, &error));
    g_clear_pointer(&error, g_free);
    g_setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/", TRUE);
    static const exchange_t named[] = { { "PUT", "http://127.0.0.1:1338/latest/api/token", 0, NULL } };
    g_free(chain(named, 1, FALSE, &c, &error));
    g_clear_pointer(&error, g_free);
    g_setenv("AWS_EC2_METADATA_DISABLED", "true", TRUE);
    g_free(chain(NULL, 0, FALSE, &c, &error));
    g_assert_null(strstr(error, "metadata"));
    g_clear_pointer(&error, g_free);
    machine_env_clear();

    /* A profile named (AWS_PROFILE) and missing is an error of its own: no machine credentials. */
    aws_files_t files;
    fake_http_t f = { NULL, 0, 0, g_string_new(NULL) };
    aws_http_t http = { fake_request, &f };
    files_setup(&files, NULL, NULL);
    g_setenv("AWS_PROFILE", "prod", TRUE);
    g_assert_false(aws_credentials_find(NULL, 0, &http, &c, &error));
    g_assert_nonnull(strstr(error, "no profile \"prod\""));
    g_assert_cmpuint(f.log->len, ==, 0);
    g_clear_pointer(&error, g_free);
    g_assert_false(aws_credentials_find("staging", 0, &http, &c, &error));
    g_assert_cmpuint(f.log->len, ==, 0);
    g_clear_pointer(&error, g_free);
    g_unsetenv("AWS_PROFILE");
    g_string_free(f.log, TRUE);
    files_teardown(&files);
}

static void
test_container_credentials(void)
{
    aws_credentials_t c;
    char *error = NULL, *log;

    machine_env_clear();
    /* ECS: a path on the agent's address; the answer has no Code. */
    g_setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/3c3ed4b1", TRUE);
    static const exchange_t ecs[] = {
        { "GET", "http://169.254.170.2/v2/credentials/3c3ed4b1", 200,
          "{\"RoleArn\":\"arn:aws:iam::123456789012:role/task\",\"AccessKeyId\":\"ASIATASK\","
          "\"SecretAccessKey\":\"task-secret\",\"Token\":\"task-token\",\"Expiration\":\"2026-12-03T09:00:00Z\"}" },
    };
    log = chain(ecs, 1, TRUE, &c, &error);
    g_assert_cmpstr(log, ==, "GET http://169.254.170.2/v2/credentials/3c3ed4b1 []\n");
    g_assert_cmpstr(c.access_key_id, ==, "ASIATASK");
    g_assert_cmpstr(c.session_token, ==, "task-token");
    g_assert_cmpint(c.expires_ms, ==, G_GINT64_CONSTANT(1796288400000));     /* 2026-12-03T09:00:00Z */
    aws_credentials_clear(&c);
    g_free(log);

    /* Configured and failing: its own message, and the instance is not asked. */
    static const exchange_t refused[] = { { "GET", "http://169.254.170.2/v2/credentials/3c3ed4b1", 403, "no" } };
    g_free(chain(refused, 1, FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "container credentials: http://169.254.170.2/v2/credentials/3c3ed4b1 answered "
                                   "HTTP 403"));
    g_clear_pointer(&error, g_free);
    g_unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

    /* EKS pod identity: a full URI and a token file, sent as Authorization. */
    char *dir = g_dir_make_tmp("cwl-token-XXXXXX", NULL), *token = g_build_filename(dir, "token", NULL);
    g_assert_true(g_file_set_contents(token, "eyJhbGciOi.pod\n", -1, NULL));
    g_setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials", TRUE);
    g_setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token, TRUE);
    g_setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-this-one", TRUE);
    static const exchange_t eks[] = { { "GET", "http://169.254.170.23/v1/credentials", 200, instance_json } };
    log = chain(eks, 1, TRUE, &c, &error);
    g_assert_cmpstr(log, ==, "GET http://169.254.170.23/v1/credentials [Authorization: eyJhbGciOi.pod]\n");
    aws_credentials_clear(&c);
    g_free(log);
    g_remove(token);
    g_rmdir(dir);
    g_free(token);
    g_free(dir);

    /* Plain http elsewhere is refused before any request (the token would go to it). */
    g_setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://metadata.example.com/creds", TRUE);
    g_free(chain(NULL, 0, FALSE, &c, &error));
    g_assert_nonnull(strstr(error, "is neither https nor http to a loopback address"));
    g_clear_pointer(&error, g_free);
    g_setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1.example.com/creds", TRUE);
    g_free(chain(NULL, 0, FALSE, &c, &error));
    g_clear_pointer(&error, g_free);
    machine_env_clear();
}

static void
test_request(void)
{
    const char *const streams[] = { "eni-1-all", "eni-\"2\"", NULL };
    cwl_query_t q = { .log_group = "/vpc/flow", .log_streams = streams, .filter_pattern = "REJECT",
                      .start_ms = 1700000000123, .next_token = "tok/en", .limit = 50 };
    char *body = cwl_filter_request(&q);

    g_assert_cmpstr(body, ==,
                    "{\"logGroupName\":\"/vpc/flow\",\"logStreamNames\":[\"eni-1-all\",\"eni-\\\"2\\\"\"],"
                    "\"filterPattern\":\"REJECT\",\"startTime\":1700000000123,\"interleaved\":true,\"limit\":50,"
                    "\"nextToken\":\"tok/en\"}");
    g_free(body);
    cwl_query_t plain = { .log_group = "g\n", .start_ms = 0 };
    body = cwl_filter_request(&plain);
    g_assert_cmpstr(body, ==, "{\"logGroupName\":\"g\\u000a\",\"startTime\":0,\"interleaved\":true}");
    g_free(body);
}

static void
parse(const char *json, cwl_page_t *page)
{
    cwl_page_parse((const guint8 *)json, strlen(json), page);
}

static void
test_page(void)
{
    cwl_page_t page;

    parse("{\"events\":[{\"logStreamName\":\"eni-1-all\",\"timestamp\":1700000000000,\"message\":\"2 a b\",\"ingestionTime\":"
          "1700000001000,\"eventId\":\"3777\"},{\"logStreamName\":\"eni-2-all\",\"timestamp\":1700000000500,"
          "\"message\":\"2 c\\\"d\",\"eventId\":\"3778\"},{\"timestamp\":1},\"junk\"],"
          "\"searchedLogStreams\":[{\"logStreamName\":\"eni-1-all\",\"searchedCompletely\":true}],"
          "\"nextToken\":\"Bxkq6k\\/token\"}", &page);
    g_assert_null(page.error_type);
    g_assert_null(page.error_message);
    g_assert_cmpuint(page.events->len, ==, 2);
    const vpcflow_json_event_t *ev = g_ptr_array_index(page.events, 1);
    g_assert_cmpstr(ev->message, ==, "2 c\"d");
    g_assert_cmpstr(ev->event_id, ==, "3778");
    g_assert_cmpstr(ev->log_stream, ==, "eni-2-all");
    g_assert_cmpint(ev->timestamp_ms, ==, G_GINT64_CONSTANT(1700000000500));
    /* the event without a message is counted, not delivered */
    g_assert_cmpuint(page.problems, ==, 1);
    g_assert_cmpstr(page.next_token, ==, "Bxkq6k/token");
    cwl_page_clear(&page);

    /* the last page: no token */
    parse("{\"events\":[],\"searchedLogStreams\":[]}", &page);
    g_assert_cmpuint(page.events->len, ==, 0);
    g_assert_null(page.next_token);
    g_assert_null(page.error_message);
    cwl_page_clear(&page);

    /* AWS errors in JSON and in XML */
    parse("{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log group does not exist.\"}", &page);
    g_assert_cmpstr(page.error_type, ==, "ResourceNotFoundException");
    g_assert_cmpstr(page.error_message, ==, "The specified log group does not exist.");
    cwl_page_clear(&page);
    parse("<?xml version=\"1.0\"?><ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security "
          "token included in the request is invalid.</Message></Error></ErrorResponse>", &page);
    g_assert_cmpstr(page.error_type, ==, "InvalidClientTokenId");
    g_assert_cmpstr(page.error_message, ==, "The security token included in the request is invalid.");
    cwl_page_clear(&page);

    /* two error documents back to back: the first is reported (found by fuzzing: the second leaked it) */
    parse("{\"__type\":\"ThrottlingException\",\"message\":\"first\"}{\"__type\":\"Other\",\"message\":\"second\"}",
          &page);
    g_assert_cmpstr(page.error_type, ==, "ThrottlingException");
    g_assert_cmpstr(page.error_message, ==, "first");
    cwl_page_clear(&page);

    /* no response at all */
    parse("<html>502 Bad Gateway</html>", &page);
    g_assert_null(page.error_type);
    g_assert_nonnull(page.error_message);
    cwl_page_clear(&page);
    parse("{\"events\":[{\"message\":\"x\"", &page);
    g_assert_nonnull(page.error_message);
    cwl_page_clear(&page);

    g_assert_true(cwl_error_is_transient("ThrottlingException"));
    g_assert_true(cwl_error_is_transient("com.amazonaws.logs#ThrottlingException"));
    g_assert_false(cwl_error_is_transient("ResourceNotFoundException"));
    g_assert_false(cwl_error_is_transient(NULL));
}

static void
test_start_time(void)
{
    const gint64 now = G_GINT64_CONSTANT(1700000000000);
    static const struct {
        const char *text;
        gint64 expected;
    } good[] = {
        { "now", 1700000000000 },
        { "", 1700000000000 },
        { "-15m", 1700000000000 - 15 * 60000 },
        { "-2h", 1700000000000 - 2 * 3600000 },
        { "-1d", 1700000000000 - 86400000 },
        { "-30s", 1700000000000 - 30000 },
        { "1699999999999", 1699999999999 },
        { "2023-11-14T22:13:20Z", 1700000000000 },
        { "2023-11-14T22:13:20.250Z", 1700000000250 },
        { "2023-11-14T23:13:20+01:00", 1700000000000 },
        { "2023-11-14T22:13:20", 1700000000000 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        gint64 t = 0;
        char *error = NULL;
        g_assert_true(cwl_parse_start_time(good[i].text, now, &t, &error));
        g_assert_cmpint(t, ==, good[i].expected);
    }
    static const char *const bad[] = { "-15", "-m", "-15x", "yesterday", "2023-13-40T00:00:00Z", "-99999999999999999d" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        gint64 t = 0;
        char *error = NULL;
        g_assert_false(cwl_parse_start_time(bad[i], now, &t, &error));
        g_assert_nonnull(strstr(error, "no start time"));
        g_free(error);
    }
}

static void
test_seen(void)
{
    cwl_seen_t seen;

    cwl_seen_init(&seen);
    g_assert_true(cwl_seen_add(&seen, "a", 1000));
    g_assert_true(cwl_seen_add(&seen, "b", 2000));
    g_assert_true(cwl_seen_add(&seen, "c", 3000));
    g_assert_false(cwl_seen_add(&seen, "b", 2000));
    cwl_seen_forget_before(&seen, 2000);
    g_assert_cmpuint(cwl_seen_count(&seen), ==, 2);
    /* still remembered within the window, forgotten before it */
    g_assert_false(cwl_seen_add(&seen, "b", 2000));
    g_assert_true(cwl_seen_add(&seen, "a", 1000));
    cwl_seen_clear(&seen);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cloudwatch-live/ini", test_ini);
    g_test_add_func("/cloudwatch-live/credentials/environment-first", test_environment_first);
    g_test_add_func("/cloudwatch-live/credentials/profiles", test_profiles);
    g_test_add_func("/cloudwatch-live/credentials/none", test_no_files);
    g_test_add_func("/cloudwatch-live/credentials/process", test_credential_process);
    g_test_add_func("/cloudwatch-live/credentials/process-json", test_process_json);
    g_test_add_func("/cloudwatch-live/credentials/instance", test_instance_credentials);
    g_test_add_func("/cloudwatch-live/credentials/container", test_container_credentials);
    g_test_add_func("/cloudwatch-live/api/request", test_request);
    g_test_add_func("/cloudwatch-live/api/page", test_page);
    g_test_add_func("/cloudwatch-live/api/start-time", test_start_time);
    g_test_add_func("/cloudwatch-live/api/seen", test_seen);
    return g_test_run();
}
