/* aws-credentials.h
 * AWS credentials found where the AWS CLI and SDKs look for them:
 *
 *   1. with no profile asked for: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 *      and AWS_SESSION_TOKEN in the environment;
 *   2. the profile (the one asked for, else AWS_PROFILE, else "default"):
 *      keys in the shared credentials file ([name] sections of
 *      AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials), then its
 *      credential_process, then keys in the config file ([profile name]
 *      sections, [default]; AWS_CONFIG_FILE, default ~/.aws/config);
 *   3. when no profile was named (argument or AWS_PROFILE) and the
 *      files have no "default": the container's credentials (ECS, EKS
 *      pod identity), then the EC2 instance's role through its metadata
 *      service (aws-instance-credentials.c), if the caller can make
 *      HTTP requests.
 *
 * credential_process is run without a shell (its command line split as
 * a shell would, no expansion), with a time limit; it must print the JSON
 * of "Version": 1. "aws configure export-credentials --format process"
 * is such a command, which is how SSO and assumed roles come in.
 *
 * Errors name the profile and the file, never a secret.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_AWS_CREDENTIALS_H
#define VPCSHARK_AWS_CREDENTIALS_H

#include <glib.h>

typedef struct {
    char   *access_key_id;
    char   *secret_access_key;
    char   *session_token;      /* NULL for long-term keys */
    gint64  expires_ms;         /* 0: does not expire (or not told) */
    char   *source;             /* where they came from, for messages */
} aws_credentials_t;

/* Longest a credential_process may take. */
#define AWS_CREDENTIAL_PROCESS_TIMEOUT_MS 30000
/* Most output read from it. */
#define AWS_CREDENTIAL_PROCESS_OUTPUT_MAX (64 * 1024)

/* Most bytes of an answer about container or instance credentials. */
#define AWS_INSTANCE_ANSWER_MAX (64 * 1024)

/*
 * One HTTP request for the container and instance credentials, made by
 * the caller (libcurl in the extcap): method "GET" or "PUT" with no body,
 * headers "Name: value" up to a NULL. Returns the HTTP status and *body
 * (NUL-terminated, g_free it; at most AWS_INSTANCE_ANSWER_MAX bytes), or
 * 0 with *error (g_free it) when no answer came within timeout_ms.
 */
typedef long (*aws_http_request_fn)(void *data, const char *method, const char *url, const char *const *headers,
                                    guint timeout_ms, char **body, gsize *body_len, char **error);

typedef struct {
    aws_http_request_fn request;
    void               *data;
} aws_http_t;

/*
 * Find credentials for profile (NULL: none asked for). FALSE with *error
 * (g_free it) when there are none or they cannot be had.
 * timeout_ms: the credential_process limit (0: the default). http: how to
 * ask for container and instance credentials (NULL: they are not tried).
 */
gboolean aws_credentials_find(const char *profile, guint timeout_ms, const aws_http_t *http, aws_credentials_t *out,
                              char **error);

/*
 * Container credentials, if AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 * _FULL_URI says where (*configured); FALSE with *error if configured
 * and they cannot be had.
 */
gboolean aws_container_credentials(const aws_http_t *http, aws_credentials_t *out, gboolean *configured,
                                   char **error);

/*
 * The EC2 instance's role credentials from its metadata service; FALSE
 * with *error when there are none (*answered: a metadata service answered
 * at all; not when AWS_EC2_METADATA_DISABLED=true, *error then NULL).
 */
gboolean aws_instance_credentials(const aws_http_t *http, aws_credentials_t *out, gboolean *answered, char **error);

/*
 * Parse the JSON of container or instance credentials: AccessKeyId,
 * SecretAccessKey, Token, Expiration, and "Code": "Success" if there is a
 * Code. FALSE with *error otherwise.
 */
gboolean aws_credentials_from_instance_json(const char *json, gsize len, aws_credentials_t *out, char **error);

void aws_credentials_clear(aws_credentials_t *creds);

/* The profile asked for, else AWS_PROFILE, else "default". */
const char *aws_profile_name(const char *profile);

/* The profile's region in the config file (g_free it), or NULL. */
char *aws_profile_region(const char *profile);

/*
 * Parse the JSON a credential_process prints. FALSE with *error when it
 * is not Version 1 or lacks a key.
 */
gboolean aws_credentials_from_process_json(const char *json, gsize len, aws_credentials_t *out, char **error);

/* An AWS shared file: [section] headers, "name = value" lines. */
typedef struct aws_ini aws_ini_t;

/* Parse text (never fails: what is not understood is skipped). */
aws_ini_t *aws_ini_parse(const char *text, gsize len);
aws_ini_t *aws_ini_load(const char *path);       /* NULL if it cannot be read */
void aws_ini_free(aws_ini_t *ini);
/* The value of name in section, or NULL. */
const char *aws_ini_get(const aws_ini_t *ini, const char *section, const char *name);
gboolean aws_ini_has_section(const aws_ini_t *ini, const char *section);

#endif
